import { CloseCode } from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import {
  HTTP_SESSION_LOST,
  HttpSession,
  SLOW_CONSUMER_REASON,
  type HttpReceiver,
  type HttpSessionOptions,
} from './http-session.js';
import { HttpTurnFlush } from './http-turn-flush.js';
import type { TransportCloseContext } from './transport.js';
import { endOfTurn } from '../../test/support/http-test-context.js';
import { ExpiryQueue } from './http-expiry-queue.js';

const GC_MS = 10_000;

function makeSession(overrides: Partial<HttpSessionOptions> = {}) {
  const closes: TransportCloseContext[] = [];
  const frames: string[] = [];
  const forgotten: HttpSession[] = [];
  const session = new HttpSession({
    id: 'session-0123456789abcdef',
    key: 'app-key',
    name: 'long-poll',
    remoteAddress: '127.0.0.1',
    limits: { maxQueuedFrames: 5, maxQueuedBytes: 1000 },
    collection: new ExpiryQueue(systemClock, GC_MS),
    turn: new HttpTurnFlush(),
    reattachable: true,
    onForget: (s) => forgotten.push(s),
    ...overrides,
  });
  session.on('close', (context) => closes.push(context));
  session.on('frame', ({ raw }) => frames.push(typeof raw === 'string' ? raw : '<binary>'));
  return { session, closes, frames, forgotten };
}

/** A receiver that takes everything queued and records what the session asked of it. */
class RecordingReceiver implements HttpReceiver {
  delivered: string[] = [];
  closes: { code: number; reason: string }[] = [];
  released = 0;
  destroyed = 0;
  constructor(private readonly session: HttpSession) {}
  pump(): void {
    this.delivered.push(...this.session.queue.takeAll());
    const closing = this.session.closing;
    if (closing) this.closes.push(closing);
  }
  release(): void {
    this.released += 1;
  }
  destroy(): void {
    this.destroyed += 1;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('HttpSession', () => {
  it('is collected after sessionGcMs with no receive request, as a dropped connection (1006, unclean)', () => {
    const { session, closes, forgotten } = makeSession();
    vi.advanceTimersByTime(GC_MS - 1);
    expect(closes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(closes).toEqual([
      { code: CloseCode.AbnormalClosure, reason: HTTP_SESSION_LOST.expired, wasClean: false },
    ]);
    expect(session.state).toBe('dead');
    // the tombstone lingers one more period, then the session is forgotten
    expect(forgotten).toEqual([]);
    vi.advanceTimersByTime(GC_MS);
    expect(forgotten).toEqual([session]);
  });

  it('is not collected while a receive request is attached, and the clock restarts on detach', () => {
    const { session, closes } = makeSession();
    const receiver = new RecordingReceiver(session);
    vi.advanceTimersByTime(GC_MS - 1);
    session.attach(receiver);
    vi.advanceTimersByTime(GC_MS * 5);
    expect(closes).toEqual([]);
    session.detach(receiver);
    vi.advanceTimersByTime(GC_MS - 1);
    expect(closes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(closes).toHaveLength(1);
  });

  it('ignores detach from a receiver that was already replaced', () => {
    const { session, closes } = makeSession();
    const first = new RecordingReceiver(session);
    const second = new RecordingReceiver(session);
    session.attach(first);
    session.attach(second);
    expect(first.released).toBe(1);
    session.detach(first);
    vi.advanceTimersByTime(GC_MS * 3);
    expect(closes).toEqual([]);
    expect(session.attached).toBe(true);
  });

  it('a non-reattachable session (SSE) dies as soon as its stream goes', () => {
    const { session, closes } = makeSession({ name: 'sse', reattachable: false });
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    session.detach(receiver);
    expect(closes).toEqual([
      { code: CloseCode.AbnormalClosure, reason: HTTP_SESSION_LOST.streamLost, wasClean: false },
    ]);
  });

  it('queues frames and delivers them in one batch at the end of the turn', async () => {
    const { session } = makeSession();
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    session.send('a');
    session.send('b');
    expect(receiver.delivered).toEqual([]);
    endOfTurn();
    await Promise.resolve();
    expect(receiver.delivered).toEqual(['a', 'b']);
  });

  it('holds frames while detached and hands them to the next receiver on attach', () => {
    const { session } = makeSession();
    session.send('a');
    session.send('b');
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    expect(receiver.delivered).toEqual(['a', 'b']);
  });

  it('closes with 4110 when the queue overflows its frame bound, and drops the queue', () => {
    const { session, closes } = makeSession();
    for (let i = 0; i < 5; i += 1) session.send(`f${i}`);
    expect(closes).toEqual([]);
    session.send('one too many');
    expect(closes).toEqual([{ code: CloseCode.SlowConsumer, reason: SLOW_CONSUMER_REASON, wasClean: true }]);
    expect(session.queue.length).toBe(0);
    expect(session.closing).toEqual({ code: CloseCode.SlowConsumer, reason: SLOW_CONSUMER_REASON });
    session.send('after close');
    expect(session.queue.length).toBe(0);
  });

  it('closes with 4110 when the queue overflows its byte bound', () => {
    const { session, closes } = makeSession();
    session.send('x'.repeat(600));
    session.send('y'.repeat(600));
    expect(closes.map((c) => c.code)).toEqual([CloseCode.SlowConsumer]);
  });

  it('close() reports a clean close once, delivers queued frames then the close, and keeps a tombstone', () => {
    const { session, closes, forgotten } = makeSession();
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    session.send('last words');
    session.close(4001, 'go away');
    session.close(4200, 'again');
    expect(closes).toEqual([{ code: 4001, reason: 'go away', wasClean: true }]);
    expect(receiver.delivered).toEqual(['last words']);
    expect(receiver.closes).toEqual([{ code: 4001, reason: 'go away' }]);
    expect(session.state).toBe('closed');
    // closed sessions are not collected as dead ones: they expire quietly
    vi.advanceTimersByTime(GC_MS);
    expect(closes).toHaveLength(1);
    expect(forgotten).toEqual([session]);
  });

  it('terminate() reports an unclean close, cuts the receiver and is idempotent', () => {
    const { session, closes } = makeSession();
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    session.terminate();
    session.terminate();
    expect(closes).toEqual([
      { code: CloseCode.AbnormalClosure, reason: HTTP_SESSION_LOST.terminated, wasClean: false },
    ]);
    expect(receiver.destroyed).toBe(1);
    expect(session.attached).toBe(false);
  });

  it('terminate() after close() reports nothing more', () => {
    const { session, closes } = makeSession();
    session.close(4200, 'bye');
    session.terminate();
    expect(closes).toHaveLength(1);
  });

  it('a receiver attached to a dead session is destroyed at once', () => {
    const { session } = makeSession();
    session.terminate();
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    expect(receiver.destroyed).toBe(1);
  });

  it('passes client frames up in order and stops at the one that closes the session', () => {
    const { session, frames } = makeSession();
    session.on('frame', ({ raw }) => {
      if (raw === 'close me') session.close(4009, 'no');
    });
    session.receive(['a', 'b', 'close me', 'never']);
    expect(frames).toEqual(['a', 'b', 'close me']);
  });

  it('closeByClient() reports the client close at once (clean, its code), cuts the receiver, keeps a tombstone', () => {
    const { session, closes, forgotten } = makeSession();
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    session.send('never delivered');
    session.closeByClient(CloseCode.NormalClosure, 'bye');
    session.closeByClient(4000, 'again');
    session.terminate();
    expect(closes).toEqual([{ code: CloseCode.NormalClosure, reason: 'bye', wasClean: true }]);
    expect(receiver.destroyed).toBe(1);
    expect(receiver.delivered).toEqual([]);
    expect(session.state).toBe('dead');
    expect(session.queue.length).toBe(0);
    vi.advanceTimersByTime(GC_MS - 1);
    expect(forgotten).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(forgotten).toEqual([session]);
  });

  it('closeByClient() on a detached long-poll session does not wait for collection', () => {
    const { session, closes } = makeSession();
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    session.detach(receiver);
    session.closeByClient(CloseCode.NormalClosure, '');
    expect(closes).toEqual([{ code: CloseCode.NormalClosure, reason: '', wasClean: true }]);
    vi.advanceTimersByTime(GC_MS * 3);
    expect(closes).toHaveLength(1);
  });

  it('closeByClient() after a server close reports nothing more and no longer holds up a drain', () => {
    const delivered: HttpSession[] = [];
    const { session, closes } = makeSession({ onCloseDelivered: (s) => delivered.push(s) });
    session.close(4200, 'draining');
    expect(session.closePending).toBe(true);
    session.closeByClient(CloseCode.NormalClosure, 'leaving');
    expect(closes).toEqual([{ code: 4200, reason: 'draining', wasClean: true }]);
    expect(session.closePending).toBe(false);
    expect(delivered).toEqual([session]);
  });

  it('dispose() forgets a session without reporting a close', () => {
    const { session, closes, forgotten } = makeSession();
    const receiver = new RecordingReceiver(session);
    session.attach(receiver);
    session.dispose();
    expect(closes).toEqual([]);
    expect(forgotten).toEqual([session]);
    expect(receiver.destroyed).toBe(1);
    vi.advanceTimersByTime(GC_MS * 3);
    expect(closes).toEqual([]);
  });
});
