import { CloseCode } from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeResponse } from '../../test/support/http-fake-response.js';
import {
  makeHttpTestContext,
  receiveRequest,
  endOfTurn,
  pollRequest,
} from '../../test/support/http-test-context.js';
import { SockjsRequest } from '@tether/protocol';
import { sockjsReceive } from './http-sockjs-endpoint.js';
import { openLongPoll, pollLongPoll } from './long-poll.js';
import { openSse } from './sse.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('HttpSessions', () => {
  it('forgets sessions once collected and their tombstones expire', () => {
    const { context } = makeHttpTestContext({ sessionGcMs: 1_000 });
    for (let i = 0; i < 50; i += 1) openLongPoll(context, receiveRequest(), new FakeResponse());
    expect(context.sessions.openCount()).toBe(50);
    vi.advanceTimersByTime(1_000);
    expect(context.sessions.openCount()).toBe(0);
    expect(context.sessions.size).toBe(50);
    vi.advanceTimersByTime(1_000);
    expect(context.sessions.size).toBe(0);
  });

  it('closeAll closes every session with the code, answers attached requests and empties the table', async () => {
    const { context, host } = makeHttpTestContext();
    const sse = new FakeResponse();
    openSse(context, receiveRequest(), sse);
    const open = new FakeResponse();
    openLongPoll(context, receiveRequest(), open);
    const held = new FakeResponse();
    const { session } = JSON.parse(open.body) as { session: string };
    pollLongPoll(context, pollRequest(1), session, held);
    endOfTurn();
    await Promise.resolve();
    context.sessions.closeAll(CloseCode.ReconnectImmediately, 'shutdown');
    expect(host.connections.map((c) => c.closed)).toEqual([
      { code: 4200, reason: 'shutdown', wasClean: true },
      { code: 4200, reason: 'shutdown', wasClean: true },
    ]);
    expect(sse.body).toContain('event: close\ndata: {"code":4200,"reason":"shutdown"}');
    expect(JSON.parse(held.body)).toMatchObject({ close: { code: 4200, reason: 'shutdown' } });
    expect(context.sessions.size).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(host.connections.every((c) => c.closed?.code === 4200)).toBe(true);
  });

  it('closesDelivered waits until each closed session handed its close to a receive request', async () => {
    const { context, host } = makeHttpTestContext({ sockjsPollHoldMs: 25_000 });
    const route = { key: 'app-key', server: '1', session: 'abcdefgh', request: SockjsRequest.Polling };
    const poll = (): FakeResponse => {
      const res = new FakeResponse();
      sockjsReceive(context, route, receiveRequest(), res);
      return res;
    };
    poll();
    poll();
    host.last.transport.close(4200, 'drain');
    expect(context.sessions.pendingCloseCount()).toBe(1);
    let delivered = false;
    const waiting = context.sessions.closesDelivered(5_000).then(() => (delivered = true));
    vi.advanceTimersByTime(4_000);
    endOfTurn();
    await Promise.resolve();
    expect(delivered).toBe(false);
    expect(poll().body).toBe('c[4200,"drain"]\n');
    await waiting;
    expect(context.sessions.pendingCloseCount()).toBe(0);
  });

  it('closesDelivered gives up after its bound', async () => {
    const { context, host } = makeHttpTestContext();
    openLongPoll(context, receiveRequest(), new FakeResponse());
    host.last.transport.close(4200, 'drain');
    let delivered = false;
    const waiting = context.sessions.closesDelivered(1_000).then(() => (delivered = true));
    vi.advanceTimersByTime(999);
    endOfTurn();
    await Promise.resolve();
    expect(delivered).toBe(false);
    vi.advanceTimersByTime(1);
    await waiting;
    expect(context.sessions.pendingCloseCount()).toBe(1);
  });
});
