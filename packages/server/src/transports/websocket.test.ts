import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import type { TransportCloseContext } from './transport.js';
import { SLOW_WEBSOCKET_REASON, WebSocketTransport } from './websocket.js';

/** The part of a `ws` WebSocket the transport touches, with a settable bufferedAmount. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  terminated = false;

  send(frame: string): void {
    this.sent.push(frame);
    this.bufferedAmount += frame.length;
  }

  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }

  terminate(): void {
    this.terminated = true;
  }
}

function transport(maxBufferedBytes: number): {
  fake: FakeSocket;
  ws: WebSocketTransport;
  closes: TransportCloseContext[];
} {
  const fake = new FakeSocket();
  const ws = new WebSocketTransport(fake as unknown as WebSocket, undefined, '127.0.0.1', {
    maxBufferedBytes,
  });
  const closes: TransportCloseContext[] = [];
  ws.on('close', (context) => closes.push(context));
  return { fake, ws, closes };
}

describe('WebSocketTransport', () => {
  it('sends frames while the unsent bytes stay within maxBufferedBytes', () => {
    const { fake, ws, closes } = transport(10);
    ws.send('12345');
    ws.send('12345');
    expect(fake.sent).toEqual(['12345', '12345']);
    expect(closes).toEqual([]);
  });

  it('a send past maxBufferedBytes closes with 4110 at once, reports it once, and sends nothing more', () => {
    const { fake, ws, closes } = transport(10);
    ws.send('12345678');
    ws.send('123');
    expect(fake.sent).toEqual(['12345678']);
    expect(fake.closedWith).toEqual({ code: 4110, reason: SLOW_WEBSOCKET_REASON });
    expect(closes).toEqual([{ code: 4110, reason: SLOW_WEBSOCKET_REASON, wasClean: false }]);
    ws.send('x');
    fake.emit('close', 1006, Buffer.from(''));
    expect(fake.sent).toEqual(['12345678']);
    expect(closes).toHaveLength(1);
  });

  it('a reader that catches up is not closed', () => {
    const { fake, ws, closes } = transport(10);
    ws.send('12345678');
    fake.bufferedAmount = 0;
    ws.send('12345678');
    expect(fake.sent).toHaveLength(2);
    expect(closes).toEqual([]);
  });

  it('reports a peer close with its code and whether it was clean', () => {
    const { fake, closes } = transport(10);
    fake.emit('close', 1006, Buffer.from(''));
    expect(closes).toEqual([{ code: 1006, reason: '', wasClean: false }]);
  });

  it('truncates a close reason to fit a control frame', () => {
    const { fake, ws } = transport(10);
    ws.close(4200, 'é'.repeat(200));
    expect(Buffer.byteLength(fake.closedWith!.reason)).toBeLessThanOrEqual(123);
  });
});
