import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import type { TransportCloseContext, TransportReceiver } from './transport.js';
import { manualTurn } from '../../test/support/manual-turn.js';
import { CorkBatch } from './cork-batch.js';
import { RoutedWebSocket, SLOW_WEBSOCKET_REASON, WebSocketTransport } from './websocket.js';
import { encodeWsTextFrame } from './ws-text-frame.js';

/** The part of a `ws` WebSocket the transport touches, with a settable bufferedAmount. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  terminated = false;
  ping?: () => void;

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

/** Records what a Session would get through `setReceiver`. */
function recordingReceiver(): TransportReceiver & { got: unknown[] } {
  const got: unknown[] = [];
  return {
    got,
    transportFrame: (raw) => got.push(['frame', raw]),
    transportPong: () => got.push(['pong']),
    transportClosed: (context) => got.push(['close', context]),
  };
}

/** A server-side socket made as ws's WebSocketServer makes one (no address: it never dials out). */
const serverSocket = (): RoutedWebSocket => new RoutedWebSocket(null as unknown as string, undefined, {});

describe('RoutedWebSocket', () => {
  it('hands message, pong and close to its transport with no listener on the socket', () => {
    const socket = serverSocket();
    const ws = new WebSocketTransport(socket, undefined);
    const receiver = recordingReceiver();
    ws.setReceiver(receiver);
    const frames: unknown[] = [];
    ws.on('frame', ({ raw }) => frames.push(raw));
    expect(socket.eventNames()).toEqual([]);
    socket.emit('message', Buffer.from('{"event":"a"}'), false);
    socket.emit('message', Buffer.from([1, 2]), true);
    socket.emit('pong', Buffer.alloc(0));
    expect(() => socket.emit('error', new Error('bad frame'))).not.toThrow();
    socket.emit('close', 1006, Buffer.from(''));
    socket.emit('close', 1000, Buffer.from('again'));
    expect(receiver.got).toEqual([
      ['frame', '{"event":"a"}'],
      ['frame', Buffer.from([1, 2])],
      ['pong'],
      ['close', { code: 1006, reason: '', wasClean: false }],
    ]);
    expect(frames).toEqual(['{"event":"a"}', Buffer.from([1, 2])]);
  });

  it('still runs listeners added to the socket, and acts as a plain ws socket with no transport', () => {
    const socket = serverSocket();
    const heard: unknown[] = [];
    socket.on('ping', (data: Buffer) => heard.push(['ping', data.toString()]));
    expect(socket.emit('ping', Buffer.from('p'))).toBe(true);
    expect(socket.emit('pong', Buffer.from('q'))).toBe(false);
    expect(() => socket.emit('error', new Error('unheard'))).toThrow('unheard');
    const ws = new WebSocketTransport(socket, undefined);
    const receiver = recordingReceiver();
    ws.setReceiver(receiver);
    socket.on('close', (code: number) => heard.push(['close', code]));
    socket.emit('close', 1000, Buffer.from(''));
    expect(heard).toEqual([
      ['ping', 'p'],
      ['close', 1000],
    ]);
    expect(receiver.got).toEqual([['close', { code: 1000, reason: '', wasClean: true }]]);
  });

  it('a ping answered runs the receiver and every onPong given, once', () => {
    const { fake, ws } = transport(10);
    const receiver = recordingReceiver();
    ws.setReceiver(receiver);
    fake.ping = () => undefined;
    let pongs = 0;
    ws.ping(() => (pongs += 1));
    ws.ping();
    fake.emit('pong', Buffer.alloc(0));
    fake.emit('pong', Buffer.alloc(0));
    expect(pongs).toBe(1);
    expect(receiver.got).toEqual([['pong'], ['pong']]);
  });

  it('reads the remote address from the raw socket only when asked, unless given', () => {
    const raw = { remoteAddress: '10.0.0.7' } as unknown as Duplex;
    const fake = new FakeSocket();
    expect(new WebSocketTransport(fake as unknown as WebSocket, raw).remoteAddress).toBe('10.0.0.7');
    expect(new WebSocketTransport(fake as unknown as WebSocket, raw, '::1').remoteAddress).toBe('::1');
    expect(new WebSocketTransport(fake as unknown as WebSocket, undefined).remoteAddress).toBeUndefined();
  });
});

/** The raw socket under the WebSocket, recording what is written to it directly and whether it was corked. */
class RecordingRaw {
  writes: { bytes: Buffer; corked: boolean }[] = [];
  private corks = 0;
  cork(): void {
    this.corks += 1;
  }
  uncork(): void {
    this.corks -= 1;
  }
  write(bytes: Buffer): boolean {
    this.writes.push({ bytes, corked: this.corks > 0 });
    return true;
  }
}

describe('WebSocketTransport with writeFramesToRaw', () => {
  const endOfTurnByHand = (): { batch: CorkBatch; endTurn: () => void } => {
    const turn = manualTurn();
    return { batch: new CorkBatch(turn.defer), endTurn: turn.end };
  };
  const directTransport = (batch: CorkBatch, maxBufferedBytes = Infinity) => {
    const fake = new FakeSocket();
    const raw = new RecordingRaw();
    const ws = new WebSocketTransport(
      fake as unknown as WebSocket,
      raw as unknown as Duplex,
      '127.0.0.1',
      { maxBufferedBytes, writeFramesToRaw: true },
      batch,
    );
    return { fake, raw, ws };
  };

  it('writes each frame as one corked text frame straight to the raw socket, not through ws', () => {
    const { batch, endTurn } = endOfTurnByHand();
    const { fake, raw, ws } = directTransport(batch);
    ws.send('{"event":"a"}');
    ws.send('{"event":"b"}');
    expect(fake.sent).toEqual([]);
    expect(raw.writes.map(({ bytes }) => bytes)).toEqual([
      encodeWsTextFrame('{"event":"a"}'),
      encodeWsTextFrame('{"event":"b"}'),
    ]);
    expect(raw.writes.every(({ corked }) => corked)).toBe(true);
    endTurn();
  });

  it('gives every recipient of one frame the same bytes', () => {
    const { batch, endTurn } = endOfTurnByHand();
    const first = directTransport(batch);
    const second = directTransport(batch);
    const frame = '{"event":"fan-out"}';
    first.ws.send(frame);
    second.ws.send(frame);
    expect(second.raw.writes[0]?.bytes).toBe(first.raw.writes[0]?.bytes);
    endTurn();
  });

  it('still closes with 4110 past maxBufferedBytes', () => {
    const { batch, endTurn } = endOfTurnByHand();
    const { fake, raw, ws } = directTransport(batch, 10);
    fake.bufferedAmount = 8;
    ws.send('12345');
    expect(raw.writes).toEqual([]);
    expect(fake.closedWith).toEqual({ code: 4110, reason: SLOW_WEBSOCKET_REASON });
    endTurn();
  });

  it('sends through ws without a raw socket, even when asked to write to it', () => {
    const fake = new FakeSocket();
    const ws = new WebSocketTransport(fake as unknown as WebSocket, undefined, '127.0.0.1', {
      maxBufferedBytes: Infinity,
      writeFramesToRaw: true,
    });
    ws.send('{"event":"a"}');
    expect(fake.sent).toEqual(['{"event":"a"}']);
  });
});
