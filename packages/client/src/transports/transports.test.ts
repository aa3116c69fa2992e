import { describe, expect, it } from 'vitest';
import { established, fakeConnectionPlatform, flushPromises } from '../../test/support/connection-fakes.js';
import { resolveConnectionOptions } from '../options.js';
import type { ClientTransport, ClientTransportEvents } from './transport.js';
import { transportEndpoints } from './transport-endpoints.js';
import { isTransportSupported, transportFactory } from './transport-factory.js';

function record(transport: ClientTransport) {
  const events: string[] = [];
  const frames: unknown[] = [];
  const closes: ClientTransportEvents['close'][] = [];
  transport.on('open', () => events.push('open'));
  transport.on('frame', ({ raw }) => {
    events.push('frame');
    frames.push(raw);
  });
  transport.on('close', (c) => {
    events.push('close');
    closes.push(c);
  });
  transport.on('error', () => events.push('error'));
  return { events, frames, closes };
}

function setup(options: { tls?: boolean; port?: number } = {}) {
  const env = fakeConnectionPlatform();
  const resolved = resolveConnectionOptions({
    key: 'app-key',
    host: 'example.test',
    port: options.port ?? 6001,
    path: '/rt',
  });
  const endpoints = transportEndpoints(resolved, options.tls ?? false);
  return { env, endpoints, create: transportFactory(env.platform, endpoints) };
}

describe('transport endpoints', () => {
  it('build the WebSocket, SSE, long-poll and send URLs with the protocol query', () => {
    const { endpoints } = setup();
    expect(endpoints.websocket).toBe(
      'ws://example.test:6001/rt/app/app-key?protocol=7&client=tether-js&version=0.1.0',
    );
    expect(endpoints.sseOpen).toBe(
      'http://example.test:6001/rt/app/app-key/sse?protocol=7&client=tether-js&version=0.1.0',
    );
    expect(endpoints.longPollOpen).toBe(
      'http://example.test:6001/rt/app/app-key/long-poll?protocol=7&client=tether-js&version=0.1.0',
    );
    expect(endpoints.longPoll('s1', 4)).toBe('http://example.test:6001/rt/app/app-key/long-poll/s1?cursor=4');
    expect(endpoints.send('s1')).toBe('http://example.test:6001/rt/app/app-key/session/s1/send');
    expect(endpoints.close('s1')).toBe('http://example.test:6001/rt/app/app-key/session/s1/close');
    const tls = setup({ tls: true }).endpoints;
    expect(tls.websocket.startsWith('wss://')).toBe(true);
    expect(tls.sseOpen.startsWith('https://')).toBe(true);
  });

  it('use separate ws and http hosts when given', () => {
    const resolved = resolveConnectionOptions({
      key: 'k',
      wsHost: 'ws.test',
      wsPort: 1,
      httpHost: 'http.test',
      httpPort: 2,
    });
    const endpoints = transportEndpoints(resolved, false);
    expect(endpoints.websocket.startsWith('ws://ws.test:1/app/k?')).toBe(true);
    expect(endpoints.sseOpen.startsWith('http://http.test:2/app/k/sse?')).toBe(true);
  });
});

describe('WebSocketTransport', () => {
  it('moves frames: open, frame, send, close with the code and cleanliness the socket reported', () => {
    const { env, create } = setup();
    const transport = create('websocket', 7);
    const seen = record(transport);
    transport.open();
    const socket = env.sockets[0]!;
    expect(transport.send('x')).toBe(false);
    socket.accept();
    socket.deliver(established());
    expect(transport.send('{"event":"pusher:ping","data":{}}')).toBe(true);
    expect(socket.sent).toEqual(['{"event":"pusher:ping","data":{}}']);
    socket.drop(1006, '', false);
    expect(seen.events).toEqual(['open', 'frame', 'error', 'close']);
    expect(seen.closes).toEqual([{ attempt: 7, code: 1006, reason: '', wasClean: false }]);
    expect(seen.frames).toEqual([established()]);
  });

  it('emits nothing after our own close', () => {
    const { env, create } = setup();
    const transport = create('websocket', 1);
    const seen = record(transport);
    transport.open();
    const socket = env.sockets[0]!;
    socket.accept();
    transport.close();
    expect(socket.closedByClient).toEqual({ code: 1000, reason: '' });
    socket.deliver('late');
    expect(seen.events).toEqual(['open']);
  });

  it('closes with 1006 when the platform has no WebSocket', () => {
    const env = fakeConnectionPlatform({ webSocket: false });
    expect(isTransportSupported(env.platform, 'websocket')).toBe(false);
    const transport = transportFactory(env.platform, setup().endpoints)('websocket', 1);
    const seen = record(transport);
    transport.open();
    expect(seen.closes[0]?.code).toBe(1006);
  });
});

describe('SseTransport', () => {
  it('opens on the session event, delivers message events as frames, and POSTs sends to the session', async () => {
    const { env, create, endpoints } = setup();
    const transport = create('sse', 3);
    const seen = record(transport);
    transport.open();
    const source = env.sources[0]!;
    expect(source.url).toBe(endpoints.sseOpen);
    expect(transport.send('a')).toBe(false);
    source.session('session-0123456789abcdef');
    source.emit('message', established());
    expect(seen.events).toEqual(['open', 'frame']);
    expect(transport.send('"one"')).toBe(true);
    expect(transport.send('"two"')).toBe(true);
    const first = env.fetch.take('/session/session-0123456789abcdef/send');
    expect(first.method).toBe('POST');
    expect(first.body).toBe('["\\"one\\""]');
    first.respond(204, '');
    await flushPromises();
    const second = env.fetch.take('/send');
    expect(second.body).toBe('["\\"two\\""]');
  });

  it('reports the server’s close event and closes the EventSource', () => {
    const { env, create } = setup();
    const transport = create('sse', 1);
    const seen = record(transport);
    transport.open();
    const source = env.sources[0]!;
    source.session();
    source.emit('close', JSON.stringify({ code: 4200, reason: 'restarting' }));
    expect(seen.closes).toEqual([{ attempt: 1, code: 4200, reason: 'restarting', wasClean: true }]);
    expect(source.closed).toBe(true);
  });

  it('turns an EventSource error into an unclean 1006 close instead of letting it reconnect', () => {
    const { env, create } = setup();
    const transport = create('sse', 1);
    const seen = record(transport);
    transport.open();
    env.sources[0]!.session();
    env.sources[0]!.fail();
    expect(seen.closes[0]).toMatchObject({ code: 1006, wasClean: false });
    expect(env.sources[0]!.closed).toBe(true);
  });

  it('treats a 404 on send as the session being gone (4210)', async () => {
    const { env, create } = setup();
    const transport = create('sse', 1);
    const seen = record(transport);
    transport.open();
    env.sources[0]!.session();
    transport.send('x');
    env.fetch.take('/send').respond(404, '{"error":"no session"}');
    await flushPromises();
    expect(seen.closes[0]).toMatchObject({ code: 4210 });
  });
});

describe('LongPollTransport', () => {
  const batch = (cursor: number, frames: string[], close?: { code: number; reason: string }) =>
    JSON.stringify({ session: 'session-0123456789abcdef', cursor, frames, ...(close ? { close } : {}) });

  it('opens with the first batch, then polls with the cursor of the batch before', async () => {
    const { env, create } = setup();
    const transport = create('long-poll', 2);
    const seen = record(transport);
    transport.open();
    env.fetch.take('/long-poll?protocol=7').respond(200, batch(1, [established()]));
    await flushPromises();
    expect(seen.events).toEqual(['open', 'frame']);
    const poll = env.fetch.take('/long-poll/session-0123456789abcdef?cursor=1');
    poll.respond(
      200,
      batch(3, ['{"event":"a","channel":"c","data":"1"}', '{"event":"b","channel":"c","data":"2"}']),
    );
    await flushPromises();
    expect(seen.frames).toHaveLength(3);
    env.fetch.take('?cursor=3').respond(200, batch(3, []));
    await flushPromises();
    env.fetch.take('?cursor=3');
  });

  it('reports a close carried in a batch', async () => {
    const { env, create } = setup();
    const transport = create('long-poll', 1);
    const seen = record(transport);
    transport.open();
    env.fetch.take('/long-poll?').respond(200, batch(0, [], { code: 4001, reason: 'no such app' }));
    await flushPromises();
    expect(seen.closes).toEqual([{ attempt: 1, code: 4001, reason: 'no such app', wasClean: true }]);
    expect(env.fetch.calls).toHaveLength(0);
  });

  it('closes 1006 when a poll fails, and 4210 when the session is gone', async () => {
    const { env, create } = setup();
    const a = create('long-poll', 1);
    const seenA = record(a);
    a.open();
    env.fetch.take('/long-poll?').reject(new Error('ECONNRESET'));
    await flushPromises();
    expect(seenA.closes[0]).toMatchObject({ code: 1006, wasClean: false });

    const b = create('long-poll', 2);
    const seenB = record(b);
    b.open();
    env.fetch.take('/long-poll?').respond(200, batch(0, []));
    await flushPromises();
    env.fetch.take('?cursor=0').respond(404, '{"error":"gone"}');
    await flushPromises();
    expect(seenB.closes[0]).toMatchObject({ code: 4210 });
  });

  it('aborts the held poll on close and emits nothing more', async () => {
    const { env, create } = setup();
    const transport = create('long-poll', 1);
    const seen = record(transport);
    transport.open();
    env.fetch.take('/long-poll?').respond(200, batch(0, []));
    await flushPromises();
    const poll = env.fetch.calls[0]!;
    transport.close();
    expect(poll.signal?.aborted).toBe(true);
    await flushPromises();
    expect(seen.events).toEqual(['open']);
  });
});

describe('ending the server session (POST …/session/{id}/close)', () => {
  const SESSION = 'session-0123456789abcdef';
  const CLOSE_PATH = `/session/${SESSION}/close`;
  const firstBatch = JSON.stringify({ session: SESSION, cursor: 1, frames: [established()] });

  async function openLongPoll() {
    const context = setup();
    const transport = context.create('long-poll', 1);
    const seen = record(transport);
    transport.open();
    context.env.fetch.take('/long-poll?').respond(200, firstBatch);
    await flushPromises();
    return { ...context, transport, seen };
  }

  function openSse() {
    const context = setup();
    const transport = context.create('sse', 1);
    const seen = record(transport);
    transport.open();
    context.env.sources[0]!.session(SESSION);
    return { ...context, transport, seen };
  }

  it('long-poll: our close posts the close request (keepalive, our code and reason) and aborts the held poll', async () => {
    const { env, endpoints, transport, seen } = await openLongPoll();
    const poll = env.fetch.take('?cursor=1');
    transport.close(1000, 'bye');
    expect(poll.signal?.aborted).toBe(true);
    const close = env.fetch.take(CLOSE_PATH);
    expect(close).toMatchObject({
      url: endpoints.close(SESSION),
      method: 'POST',
      keepalive: true,
      body: '{"code":1000,"reason":"bye"}',
    });
    close.reject(new Error('offline'));
    transport.close();
    await flushPromises();
    expect(env.fetch.calls.filter((c) => c.url.includes('/close'))).toEqual([]);
    expect(seen.events).toEqual(['open', 'frame']);
  });

  it('SSE: our close posts the close request and closes the EventSource; nothing is posted before a session exists', () => {
    const { env, transport } = openSse();
    transport.close();
    expect(env.fetch.take(CLOSE_PATH)).toMatchObject({
      method: 'POST',
      keepalive: true,
      body: '{"code":1000,"reason":""}',
    });
    expect(env.sources[0]!.closed).toBe(true);

    const early = setup();
    const unopened = early.create('sse', 2);
    unopened.open();
    unopened.close();
    expect(early.env.fetch.calls).toEqual([]);
  });

  it('sends no close request for a session the server ended (close in a batch, 404, SSE close event)', async () => {
    const lp = await openLongPoll();
    lp.env.fetch
      .take('?cursor=1')
      .respond(
        200,
        JSON.stringify({ session: SESSION, cursor: 1, frames: [], close: { code: 4200, reason: 'bye' } }),
      );
    await flushPromises();
    lp.transport.close();

    const gone = await openLongPoll();
    gone.env.fetch.take('?cursor=1').respond(404, '{"error":"Session not found","code":4210}');
    await flushPromises();
    gone.transport.close();

    const sse = openSse();
    sse.env.sources[0]!.emit('close', JSON.stringify({ code: 4200, reason: 'restarting' }));
    sse.transport.close();

    for (const { env } of [lp, gone, sse])
      expect(env.fetch.calls.map((c) => c.url)).not.toContainEqual(expect.stringContaining('/close'));
    expect([lp.seen.closes[0]?.code, gone.seen.closes[0]?.code, sse.seen.closes[0]?.code]).toEqual([
      4200, 4210, 4200,
    ]);
  });

  it('a code no client may send becomes 1000, and a long reason is clipped to fit 123 UTF-8 bytes', async () => {
    const { env, transport } = await openLongPoll();
    transport.close(1006, '€'.repeat(100));
    const body = JSON.parse(env.fetch.take(CLOSE_PATH).body ?? '') as { code: number; reason: string };
    expect(body.code).toBe(1000);
    expect(new TextEncoder().encode(body.reason).length).toBeLessThanOrEqual(123);
    expect(body.reason.length).toBeGreaterThan(0);
  });

  it('pagehide ends the session with 1001 (once), and the listener goes with the transport', async () => {
    const { env, transport } = await openLongPoll();
    expect(env.network.listenerCount).toBe(1);
    env.network.hidePage();
    expect(env.fetch.take(CLOSE_PATH)).toMatchObject({
      keepalive: true,
      body: '{"code":1001,"reason":"Page hidden"}',
    });
    expect(env.network.listenerCount).toBe(0);
    env.network.hidePage();
    transport.close();
    expect(env.fetch.calls.map((c) => c.url)).not.toContainEqual(expect.stringContaining('/close'));

    const sse = openSse();
    expect(sse.env.network.listenerCount).toBe(1);
    sse.transport.close();
    expect(sse.env.network.listenerCount).toBe(0);
  });

  it('works on a platform written before onPageHide existed', async () => {
    const { env, endpoints } = setup();
    const none = () => () => undefined;
    const network = { isOnline: () => true, onOnline: none, onOffline: none, onVisible: none };
    const create = transportFactory({ ...env.platform, network }, endpoints);
    const transport = create('long-poll', 1);
    transport.open();
    env.fetch.take('/long-poll?').respond(200, firstBatch);
    await flushPromises();
    transport.close();
    expect(env.fetch.take(CLOSE_PATH).body).toBe('{"code":1000,"reason":""}');
  });
});
