import { CloseCode, decodeServerFrame, readSseMessage, SseReader, type SseSignal } from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeResponse } from '../../test/support/http-fake-response.js';
import { makeHttpTestContext, receiveRequest } from '../../test/support/http-test-context.js';
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
    await Promise.resolve();
    const written = res.chunks.length;
    const transport = host.last.transport;
    transport.send('{"event":"x1"}');
    transport.send('{"event":"x2"}');
    await Promise.resolve();
    expect(res.chunks.length).toBe(written);
    res.drain();
    expect(res.body).toContain('x1');
    expect(res.body).toContain('x2');
    res.congested = true;
    transport.send('{"event":"y1"}');
    await Promise.resolve();
    for (let i = 0; i < 4; i += 1) transport.send(`{"event":"z${i}"}`);
    expect(host.last.closed).toMatchObject({ code: CloseCode.SlowConsumer, wasClean: true });
    res.drain();
    expect(signals(res.body).at(-1)).toMatchObject({ type: 'close', code: CloseCode.SlowConsumer });
    expect(res.body).not.toContain('z0');
  });
});
