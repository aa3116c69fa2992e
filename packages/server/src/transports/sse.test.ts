import { CloseCode, decodeServerFrame, readSseMessage, SseReader, type SseSignal } from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeResponse } from '../../test/support/http-fake-response.js';
import { makeHttpTestContext, receiveRequest, endOfTurn } from '../../test/support/http-test-context.js';
import { openSse } from './sse.js';

const signals = (body: string): SseSignal[] =>
  new SseReader().push(body).map((message) => {
    const signal = readSseMessage(message);
    if (!signal.ok) throw new Error(signal.error.message);
    return signal.value;
  });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SSE transport', () => {
  it('opens with the protocol headers, the session event, then connection_established', async () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    openSse(context, receiveRequest(), res);
    endOfTurn();
    await Promise.resolve();
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
      'Access-Control-Allow-Origin': '*',
    });
    const [session, established] = signals(res.body);
    expect(session?.type).toBe('session');
    expect(established?.type).toBe('frame');
    if (established?.type !== 'frame') return;
    const frame = decodeServerFrame(established.frame);
    expect(frame.ok && frame.frame.event).toBe('pusher:connection_established');
    expect(host.last.transport.name).toBe('sse');
    expect(context.sessions.openCount()).toBe(1);
  });

  it('writes each frame as it is sent and ends with event: close on a server close', async () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    openSse(context, receiveRequest(), res);
    host.last.transport.send('{"event":"a","channel":"c","data":"1"}');
    endOfTurn();
    await Promise.resolve();
    host.last.transport.close(CloseCode.AppDisabled, 'disabled');
    const all = signals(res.body);
    expect(all.slice(2)).toEqual([
      { type: 'frame', frame: '{"event":"a","channel":"c","data":"1"}' },
      { type: 'close', code: 4003, reason: 'disabled' },
    ]);
    expect(res.writableEnded).toBe(true);
    expect(host.last.closed).toEqual({ code: 4003, reason: 'disabled', wasClean: true });
  });

  it('sends a comment heartbeat every sseHeartbeatMs', () => {
    const { context } = makeHttpTestContext({ sseHeartbeatMs: 15_000 });
    const res = new FakeResponse();
    openSse(context, receiveRequest(), res);
    const count = () => res.chunks.filter((c) => c === ': hb\n\n').length;
    vi.advanceTimersByTime(14_999);
    expect(count()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(count()).toBe(1);
    vi.advanceTimersByTime(45_000);
    expect(count()).toBe(4);
  });

  it('a refused open is a 200 event stream with pusher:error and the close, and leaves no session', () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    openSse(context, receiveRequest('protocol=7', 'wrong-key'), res);
    const all = signals(res.body);
    expect(all).toHaveLength(2);
    expect(all[0]?.type === 'frame' && JSON.parse(all[0].frame)).toEqual({
      event: 'pusher:error',
      data: JSON.stringify({ message: 'App key wrong-key not in this cluster', code: 4001 }),
    });
    expect(all[1]).toEqual({ type: 'close', code: 4001, reason: 'App key wrong-key not in this cluster' });
    expect(res.writableEnded).toBe(true);
    expect(host.connections).toHaveLength(0);
    expect(context.sessions.size).toBe(0);
  });

  it('refuses a missing protocol version with 4008 before asking the core', () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    openSse(context, receiveRequest('client=js'), res);
    expect(signals(res.body).at(-1)).toMatchObject({ type: 'close', code: CloseCode.NoProtocolVersion });
    expect(host.connections).toHaveLength(0);
  });

  it('a stream dropped by the client ends the session at once, as a dropped WebSocket', () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    openSse(context, receiveRequest(), res);
    res.abort();
    expect(host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
    expect(context.sessions.openCount()).toBe(0);
  });

  it('stops writing under back-pressure, resumes on drain, and closes 4110 when the queue overflows', async () => {
    const { context, host } = makeHttpTestContext({ maxQueuedFrames: 3 });
    const res = new FakeResponse();
    res.congested = true;
    openSse(context, receiveRequest(), res);
    endOfTurn();
    await Promise.resolve();
    const written = res.chunks.length;
    const transport = host.last.transport;
    transport.send('{"event":"x1"}');
    transport.send('{"event":"x2"}');
    endOfTurn();
    await Promise.resolve();
    expect(res.chunks.length).toBe(written);
    res.drain();
    expect(res.body).toContain('x1');
    expect(res.body).toContain('x2');
    res.congested = true;
    transport.send('{"event":"y1"}');
    endOfTurn();
    await Promise.resolve();
    for (let i = 0; i < 4; i += 1) transport.send(`{"event":"z${i}"}`);
    expect(host.last.closed).toMatchObject({ code: CloseCode.SlowConsumer, wasClean: true });
    res.drain();
    expect(signals(res.body).at(-1)).toMatchObject({ type: 'close', code: CloseCode.SlowConsumer });
    expect(res.body).not.toContain('z0');
  });

  it('writes every frame of a turn in one write, in order, at the end of the turn', () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    openSse(context, receiveRequest(), res);
    const before = res.chunks.length;
    const transport = host.last.transport;
    for (let i = 0; i < 5; i += 1) transport.send(`{"event":"e","channel":"c","data":"${i}"}`);
    expect(res.chunks.length).toBe(before);
    endOfTurn();
    expect(res.chunks.length).toBe(before + 1);
    expect(signals(res.chunks.at(-1) ?? '')).toEqual(
      [0, 1, 2, 3, 4].map((i) => ({ type: 'frame', frame: `{"event":"e","channel":"c","data":"${i}"}` })),
    );
  });

  it('streams handed the same frames in a turn write the same chunk, encoded once', () => {
    const { context, host } = makeHttpTestContext();
    const streams = [new FakeResponse(), new FakeResponse(), new FakeResponse()];
    const transports = streams.map((res) => {
      openSse(context, receiveRequest(), res);
      return host.last.transport;
    });
    const frames = ['{"event":"a","channel":"c","data":"1"}', '{"event":"b","channel":"c","data":"2"}'];
    for (const frame of frames) for (const transport of transports) transport.send(frame);
    endOfTurn();
    const chunks = streams.map((res) => res.chunks.at(-1));
    expect(new Set(chunks).size).toBe(1);
    expect(signals(chunks[0] ?? '')).toEqual(frames.map((frame) => ({ type: 'frame', frame })));
  });

  it('a stream that stays congested is closed with 4110 at its queue bound, across turns', () => {
    const { context, host } = makeHttpTestContext({ maxQueuedFrames: 10 });
    const res = new FakeResponse();
    openSse(context, receiveRequest(), res);
    res.congested = true;
    const transport = host.last.transport;
    transport.send('{"event":"first"}');
    endOfTurn();
    const written = res.chunks.length;
    for (let turn = 0; turn < 3; turn += 1) {
      for (let i = 0; i < 4; i += 1) transport.send(`{"event":"t${turn}-${i}"}`);
      endOfTurn();
    }
    expect(res.chunks.length).toBe(written);
    expect(host.last.closed).toMatchObject({ code: CloseCode.SlowConsumer, wasClean: true });
    res.drain();
    expect(signals(res.body).at(-1)).toMatchObject({ type: 'close', code: CloseCode.SlowConsumer });
    expect(res.writableEnded).toBe(true);
  });

  it('shares one heartbeat timer between every open stream', () => {
    const { context } = makeHttpTestContext({ sseHeartbeatMs: 15_000 });
    const timersBefore = vi.getTimerCount();
    const streams = [new FakeResponse(), new FakeResponse(), new FakeResponse()];
    for (const res of streams) openSse(context, receiveRequest(), res);
    endOfTurn();
    expect(vi.getTimerCount() - timersBefore).toBe(1); // one heartbeat interval for all of them
    vi.advanceTimersByTime(15_000);
    for (const res of streams) expect(res.chunks.filter((c) => c === ': hb\n\n')).toHaveLength(1);
    for (const res of streams) res.abort();
    vi.advanceTimersByTime(15_000);
    for (const res of streams) expect(res.chunks.filter((c) => c === ': hb\n\n')).toHaveLength(1);
  });
});
