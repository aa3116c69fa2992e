import {
  CloseCode,
  decodeHttpError,
  decodeLongPollBatch,
  encodeLongPollBatch,
  type LongPollBatch,
} from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeResponse } from '../../test/support/http-fake-response.js';
import {
  makeHttpTestContext,
  receiveRequest,
  endOfTurn,
  pollRequest,
} from '../../test/support/http-test-context.js';
import { openLongPoll, pollLongPoll } from './long-poll.js';

const batchOf = (res: FakeResponse): LongPollBatch => {
  const batch = decodeLongPollBatch(res.body);
  if (!batch.ok) throw new Error(`not a batch: ${res.body}`);
  return batch.value;
};

const HOLD_MS = 25_000;

function opened() {
  const made = makeHttpTestContext({ longPollHoldMs: HOLD_MS, sessionGcMs: 10_000 });
  const res = new FakeResponse();
  openLongPoll(made.context, receiveRequest(), res);
  const first = batchOf(res);
  const poll = (cursor: number | string): FakeResponse => {
    const next = new FakeResponse();
    pollLongPoll(made.context, pollRequest(cursor), first.session, next);
    return next;
  };
  return { ...made, first, res, poll, transport: made.host.last.transport };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('long-poll transport', () => {
  it('answers the open request at once with connection_established and cursor 1', () => {
    const { first, res } = opened();
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
    });
    expect(first.session).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.cursor).toBe(1);
    expect(first.frames).toHaveLength(1);
    expect(JSON.parse(first.frames[0]!).event).toBe('pusher:connection_established');
  });

  it('holds a poll until frames are queued, then answers with all of them in one batch', async () => {
    const { poll, transport } = opened();
    const res = poll(1);
    expect(res.headersSent).toBe(false);
    transport.send('{"event":"a"}');
    transport.send('{"event":"b"}');
    endOfTurn();
    await Promise.resolve();
    expect(batchOf(res)).toEqual({
      session: expect.any(String),
      cursor: 3,
      frames: ['{"event":"a"}', '{"event":"b"}'],
    });
  });

  it('answers an idle poll with an empty batch after the hold time', () => {
    const { poll } = opened();
    const res = poll(1);
    vi.advanceTimersByTime(HOLD_MS - 1);
    expect(res.headersSent).toBe(false);
    vi.advanceTimersByTime(1);
    expect(batchOf(res)).toMatchObject({ cursor: 1, frames: [] });
  });

  it('re-sends frames after the cursor when a response was lost, and drops those before it', async () => {
    const { poll, transport, context, first } = opened();
    transport.send('{"event":"a"}');
    transport.send('{"event":"b"}');
    endOfTurn();
    await Promise.resolve();
    const lost = poll(1);
    expect(batchOf(lost).frames).toHaveLength(2);
    // the client never saw that answer: it polls with the same cursor and gets the same frames
    const again = poll(1);
    expect(batchOf(again)).toMatchObject({ cursor: 3, frames: ['{"event":"a"}', '{"event":"b"}'] });
    // a poll at 2 acknowledges "a" only
    const partial = poll(2);
    expect(batchOf(partial)).toMatchObject({ cursor: 3, frames: ['{"event":"b"}'] });
    const session = context.sessions.get(first.session)!;
    expect(session.queue.base).toBe(2);
    const held = poll(3);
    expect(session.queue.length).toBe(0);
    expect(held.headersSent).toBe(false);
  });

  it('a newer poll ends the held one with an empty batch', () => {
    const { poll } = opened();
    const older = poll(1);
    const newer = poll(1);
    expect(batchOf(older)).toMatchObject({ cursor: 1, frames: [] });
    expect(newer.headersSent).toBe(false);
  });

  it('rejects a missing or future cursor with 400', () => {
    const { poll } = opened();
    for (const cursor of ['', 'x', '-1', '7']) {
      const res = poll(cursor);
      expect(res.status).toBe(400);
      expect(decodeHttpError(res.body)).toMatchObject({ ok: true, value: { code: null } });
    }
  });

  it('answers 404 {code: 4210} for an unknown session, another app key or a collected session', () => {
    const { context, first } = opened();
    const unknown = new FakeResponse();
    pollLongPoll(context, pollRequest(1), 'nosuchsession-0123456789', unknown);
    const otherKey = new FakeResponse();
    pollLongPoll(context, pollRequest(1, 'other-key'), first.session, otherKey);
    vi.advanceTimersByTime(10_000);
    const collected = new FakeResponse();
    pollLongPoll(context, pollRequest(1), first.session, collected);
    for (const res of [unknown, otherKey, collected]) {
      expect(res.status).toBe(404);
      expect(decodeHttpError(res.body)).toEqual({
        ok: true,
        value: { error: 'Session not found', code: CloseCode.SessionNotFound },
      });
    }
  });

  it('is collected after sessionGcMs without a poll, reporting 1006 unclean', () => {
    const { host, poll } = opened();
    vi.advanceTimersByTime(9_999);
    expect(host.last.closed).toBeNull();
    const res = poll(1);
    vi.advanceTimersByTime(HOLD_MS);
    expect(res.status).toBe(200);
    vi.advanceTimersByTime(9_999);
    expect(host.last.closed).toBeNull();
    vi.advanceTimersByTime(1);
    expect(host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
  });

  it('a server close answers the held poll with remaining frames and the close, and again to a retry', async () => {
    const { poll, transport } = opened();
    const held = poll(1);
    transport.send('{"event":"pusher:error","data":{"code":4009,"message":"no"}}');
    transport.close(CloseCode.Unauthorized, 'no');
    endOfTurn();
    await Promise.resolve();
    const batch = batchOf(held);
    expect(batch).toMatchObject({ cursor: 2, close: { code: 4009, reason: 'no' } });
    expect(batch.frames).toHaveLength(1);
    expect(batchOf(poll(2))).toMatchObject({ cursor: 2, frames: [], close: { code: 4009, reason: 'no' } });
  });

  it('a refused open is a 200 batch with pusher:error and the close, and leaves no session', () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    openLongPoll(context, receiveRequest('protocol=5'), res);
    const batch = batchOf(res);
    expect(batch.close).toEqual({
      code: CloseCode.UnsupportedProtocolVersion,
      reason: 'Unsupported protocol version 5',
    });
    expect(JSON.parse(batch.frames[0]!).event).toBe('pusher:error');
    expect(host.connections).toHaveLength(0);
    expect(context.sessions.size).toBe(0);
  });

  it('answers held polls at the end of the turn, each with exactly the body encodeLongPollBatch gives', () => {
    const made = makeHttpTestContext({ longPollHoldMs: HOLD_MS });
    const sessions = [0, 1, 2].map(() => {
      const res = new FakeResponse();
      openLongPoll(made.context, receiveRequest(), res);
      return { first: batchOf(res), transport: made.host.last.transport };
    });
    const held = sessions.map(({ first }) => {
      const res = new FakeResponse();
      pollLongPoll(made.context, pollRequest(first.cursor), first.session, res);
      return res;
    });
    const frames = ['{"event":"a","channel":"c","data":"1"}', '{"event":"b","channel":"c","data":"\\"2\\""}'];
    for (const frame of frames) for (const { transport } of sessions) transport.send(frame);
    for (const res of held) expect(res.headersSent).toBe(false);
    endOfTurn();
    sessions.forEach(({ first }, i) => {
      const res = held[i]!;
      expect(res.body).toBe(encodeLongPollBatch({ session: first.session, cursor: 3, frames }));
      expect(res.headers['Content-Length']).toBe(String(Buffer.byteLength(res.body)));
      expect(res.headers).toMatchObject({ 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
    });
  });

  it('holds a poll on the shared hold queue, and one answered at once never waits there', () => {
    const { poll, transport, context } = opened();
    const holds = context.expiries.for(HOLD_MS);
    const held = poll(1);
    expect(holds.size).toBe(1);
    transport.send('{"event":"a"}');
    endOfTurn();
    expect(batchOf(held).cursor).toBe(2);
    expect(holds.size).toBe(0);
    transport.send('{"event":"b"}');
    endOfTurn();
    const immediate = poll(2);
    expect(batchOf(immediate)).toMatchObject({ cursor: 3, frames: ['{"event":"b"}'] });
    expect(holds.size).toBe(0);
  });

  it('a held poll the client aborts is dropped from the hold queue and the session is collected later', () => {
    const { poll, context, host } = opened();
    const held = poll(1);
    held.abort();
    expect(context.expiries.for(HOLD_MS).size).toBe(0);
    vi.advanceTimersByTime(9_999);
    expect(host.last.closed).toBeNull();
    vi.advanceTimersByTime(1);
    expect(host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
  });
});
