import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { manualTurn } from '../../test/support/manual-turn.js';
import { CorkBatch } from './cork-batch.js';
import { WebSocketTransport } from './websocket.js';

/** A CorkBatch whose end of turn is run by hand. */
function manualBatch(): { batch: CorkBatch; deferred: (() => void)[]; endTurn: () => void } {
  const turn = manualTurn();
  return { batch: new CorkBatch(turn.defer), deferred: turn.pending, endTurn: turn.end };
}

/** The raw socket under a ws WebSocket: counts corks and the writes that reach it while uncorked. */
class FakeRaw {
  corks = 0;
  uncorks = 0;
  get corked(): boolean {
    return this.corks > this.uncorks;
  }
  cork(): void {
    this.corks += 1;
  }
  uncork(): void {
    this.uncorks += 1;
  }
}

class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  /** Each frame with whether the raw socket was corked when ws got it. */
  sent: { frame: string; corked: boolean }[] = [];
  constructor(private readonly raw: FakeRaw) {
    super();
  }
  send(frame: string): void {
    this.sent.push({ frame, corked: this.raw.corked });
  }
  close(): void {
    this.readyState = 2;
  }
}

function transport(batch: CorkBatch): { raw: FakeRaw; socket: FakeSocket; ws: WebSocketTransport } {
  const raw = new FakeRaw();
  const socket = new FakeSocket(raw);
  const ws = new WebSocketTransport(
    socket as unknown as WebSocket,
    raw as unknown as Duplex,
    '127.0.0.1',
    { maxBufferedBytes: Infinity },
    batch,
  );
  return { raw, socket, ws };
}

describe('CorkBatch', () => {
  it('defers once per turn and uncorks every socket added in it', () => {
    const { batch, deferred, endTurn } = manualBatch();
    const ran: string[] = [];
    batch.add({ uncork: () => ran.push('a') });
    batch.add({ uncork: () => ran.push('b') });
    expect(deferred).toHaveLength(1);
    expect(ran).toEqual([]);
    endTurn();
    expect(ran).toEqual(['a', 'b']);
    batch.add({ uncork: () => ran.push('c') });
    expect(deferred).toHaveLength(1);
    endTurn();
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('still uncorks the other sockets when one throws, then surfaces the error', () => {
    const { batch, endTurn } = manualBatch();
    const ran: string[] = [];
    batch.add({
      uncork: () => {
        throw new Error('socket gone');
      },
    });
    batch.add({ uncork: () => ran.push('b') });
    expect(endTurn).toThrow('socket gone');
    expect(ran).toEqual(['b']);
  });
});

describe('WebSocketTransport write batching', () => {
  it('corks each socket once per turn, across messages and connections, and uncorks them all at its end', () => {
    const { batch, deferred, endTurn } = manualBatch();
    const a = transport(batch);
    const b = transport(batch);
    for (const frame of ['1', '2', '3']) {
      a.ws.send(frame);
      b.ws.send(frame);
    }
    expect(deferred).toHaveLength(1);
    for (const { raw, socket } of [a, b]) {
      expect(raw.corks).toBe(1);
      expect(raw.corked).toBe(true);
      expect(socket.sent.map((sent) => sent.corked)).toEqual([true, true, true]);
    }
    endTurn();
    expect([a.raw.corked, b.raw.corked]).toEqual([false, false]);
    a.ws.send('4');
    expect(a.raw.corks).toBe(2);
    endTurn();
    expect(a.raw.uncorks).toBe(2);
  });

  it('a close uncorks at once, and the end of the turn does not uncork it twice', () => {
    const { batch, endTurn } = manualBatch();
    const { raw, ws } = transport(batch);
    ws.send('bye');
    ws.close(1000, 'done');
    expect(raw.corked).toBe(false);
    endTurn();
    expect(raw.uncorks).toBe(1);
  });
});
