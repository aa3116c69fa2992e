import {
  CloseCode,
  parseSockjsBody,
  SOCKJS_STREAM_ROTATION_CHARS,
  SockjsRequest,
  type SockjsFrame,
} from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeResponse } from '../../test/support/http-fake-response.js';
import { makeHttpTestContext, receiveRequest, endOfTurn } from '../../test/support/http-test-context.js';
import { sockjsReceive } from './http-sockjs-endpoint.js';

const route = { key: 'app-key', server: '510', session: 'aqnv2gqq', request: SockjsRequest.Streaming };

const framesOf = (body: string): SockjsFrame[] => {
  const parsed = parseSockjsBody(body);
  expect(parsed.rest).toBe('');
  return parsed.frames.map((f) => {
    if (!f.ok) throw new Error(f.error.message);
    return f.value;
  });
};
const messagesOf = (body: string): string[] =>
  framesOf(body).flatMap((f) => (f.type === 'messages' ? f.messages : []));

function stream(context: ReturnType<typeof makeHttpTestContext>['context']): FakeResponse {
  const res = new FakeResponse();
  sockjsReceive(context, route, receiveRequest(), res);
  return res;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('pusher-js xhr_streaming', () => {
  it('creates the session on the first request: o, then connection_established as an a[...] of strings', async () => {
    const { context, host } = makeHttpTestContext();
    const res = stream(context);
    endOfTurn();
    await Promise.resolve();
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'Content-Type': 'application/javascript; charset=UTF-8',
      'Access-Control-Allow-Origin': '*',
      'X-Accel-Buffering': 'no',
    });
    expect(res.headers['Cache-Control']).toContain('no-store');
    expect(res.body.startsWith('o\na["')).toBe(true);
    const frames = framesOf(res.body);
    expect(frames[0]).toEqual({ type: 'open' });
    const established = JSON.parse(messagesOf(res.body)[0]!);
    expect(established.event).toBe('pusher:connection_established');
    expect(JSON.parse(established.data).socket_id).toMatch(/^\d+\.\d+$/);
    expect(host.last.transport.name).toBe('xhr_streaming');
    expect(res.writableEnded).toBe(false);
  });

  it('writes h every sockjsHeartbeatMs and never ends the stream on its own', () => {
    const { context } = makeHttpTestContext({ sockjsHeartbeatMs: 25_000 });
    const res = stream(context);
    const beats = () => res.chunks.filter((c) => c === 'h\n').length;
    vi.advanceTimersByTime(24_999);
    expect(beats()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(beats()).toBe(1);
    vi.advanceTimersByTime(25_000 * 9);
    expect(beats()).toBe(10);
    expect(res.writableEnded).toBe(false);
  });

  it('escapes non-ASCII so characters written equal bytes', async () => {
    const { context, host } = makeHttpTestContext();
    const res = stream(context);
    host.last.transport.send('{"event":"e","channel":"c","data":"héllo ☃"}');
    endOfTurn();
    await Promise.resolve();
    expect([...res.body].every((ch) => ch.charCodeAt(0) < 0x80)).toBe(true);
    expect(messagesOf(res.body)[1]).toBe('{"event":"e","channel":"c","data":"héllo ☃"}');
  });

  it('never sends o again on a re-attached stream, and the new stream gets what was queued meanwhile', async () => {
    const { context, host } = makeHttpTestContext();
    const first = stream(context);
    endOfTurn();
    await Promise.resolve();
    first.abort();
    host.last.transport.send('{"event":"while-away"}');
    endOfTurn();
    await Promise.resolve();
    const second = stream(context);
    expect(framesOf(second.body)).toEqual([{ type: 'messages', messages: ['{"event":"while-away"}'] }]);
    expect(host.connections).toHaveLength(1);
  });

  it('stops writing past the rotation mark and queues until the next request: nothing lost, nothing repeated', async () => {
    const { context, host } = makeHttpTestContext({
      maxQueuedFrames: 10_000,
      maxQueuedBytes: 10 * 1024 * 1024,
    });
    const transport = () => host.last.transport;
    const payload = 'x'.repeat(2_000);
    const sent: string[] = [];
    const responses = [stream(context)];
    /** What pusher-js reads from a response: everything up to the chunk that takes it past 256 KiB, then it re-opens. */
    const consumed = (res: FakeResponse): string => {
      let text = '';
      for (const chunk of res.chunks) {
        text += chunk;
        if (text.length > SOCKJS_STREAM_ROTATION_CHARS) break;
      }
      return text;
    };
    endOfTurn();
    await Promise.resolve();
    let sinceFull = 0;
    for (let i = 0; i < 300; i += 1) {
      const frame = `{"event":"e","channel":"c","data":"${i}:${payload}"}`;
      sent.push(frame);
      transport().send(frame);
      endOfTurn();
      await Promise.resolve(); // one write per frame, as under real traffic
      const current = responses.at(-1)!;
      if (current.body.length > SOCKJS_STREAM_ROTATION_CHARS) sinceFull += 1;
      // the client needs a moment to notice and re-open: five more frames are sent meanwhile
      if (sinceFull > 5) {
        sinceFull = 0;
        current.abort();
        responses.push(stream(context));
      }
    }
    expect(responses.length).toBeGreaterThanOrEqual(3);
    for (const res of responses.slice(0, -1)) expect(res.body).toBe(consumed(res));
    const received = responses.flatMap((res) => messagesOf(consumed(res))).slice(1);
    expect(received).toEqual(sent);
    expect(responses.slice(1).every((res) => !res.body.startsWith('o'))).toBe(true);
    // heartbeats are not written to a full response either
    const full = stream(context);
    for (let i = 0; i < 200; i += 1) transport().send(`{"event":"fill","data":"${payload}"}`);
    endOfTurn();
    await Promise.resolve();
    const before = full.body.length;
    expect(before).toBeGreaterThan(SOCKJS_STREAM_ROTATION_CHARS);
    vi.advanceTimersByTime(60_000);
    expect(full.body.length).toBe(before);
  });

  it('ends with c[code,"reason"] on a server close', async () => {
    const { context, host } = makeHttpTestContext();
    const res = stream(context);
    endOfTurn();
    await Promise.resolve();
    host.last.transport.close(CloseCode.AppNotFound, 'bye');
    expect(framesOf(res.body).at(-1)).toEqual({ type: 'close', code: 4001, reason: 'bye' });
    expect(res.writableEnded).toBe(true);
  });

  it('a refused open is o then c[code,"reason"]', () => {
    const { context, host } = makeHttpTestContext();
    const res = new FakeResponse();
    sockjsReceive(context, { ...route, key: 'nope' }, receiveRequest('protocol=7', 'nope'), res);
    expect(res.body).toBe('o\nc[4001,"App key nope not in this cluster"]\n');
    expect(res.status).toBe(200);
    expect(host.connections).toHaveLength(0);
    const noProtocol = new FakeResponse();
    sockjsReceive(context, route, receiveRequest('client=js'), noProtocol);
    expect(noProtocol.body).toBe('o\nc[4008,"No protocol version supplied"]\n');
  });

  it('a collected session answers c[4210] instead of starting a new one', () => {
    const { context, host } = makeHttpTestContext({ sessionGcMs: 10_000 });
    stream(context).abort();
    vi.advanceTimersByTime(10_000);
    expect(host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
    const late = stream(context);
    expect(late.body).toBe('c[4210,"Session not found"]\n');
    expect(host.connections).toHaveLength(1);
    // once the tombstone expires, the id is free again
    vi.advanceTimersByTime(10_000);
    expect(context.sessions.size).toBe(0);
  });

  it('a session killed server-side cuts its stream', () => {
    const { context, host } = makeHttpTestContext();
    const res = stream(context);
    host.last.transport.terminate();
    expect(res.destroyed).toBe(true);
    expect(host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
  });
});
