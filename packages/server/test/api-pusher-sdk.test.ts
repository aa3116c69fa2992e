import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sdkFailure, startApiTestServer, type ApiTestServer } from './support/api-test-server.js';

// Spec §11 items 22–27, driven by the official `pusher` SDK against a real HTTP server.
let server: ApiTestServer;
beforeEach(async () => {
  server = await startApiTestServer();
});
afterEach(async () => {
  await server.close();
});

describe('HTTP API with the official pusher SDK', () => {
  it('trigger to one channel returns 200 {} and delivers the JSON data', async () => {
    server.backend.subscribe('1.1', 'ch');
    const response = await server.pusher.trigger('ch', 'ev', { a: 1 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(server.backend.deliveredTo('1.1')).toEqual([
      { socketId: '1.1', channel: 'ch', name: 'ev', data: '{"a":1}' },
    ]);
  });

  it('trigger to 100 channels reaches all of them in one request', async () => {
    const channels = Array.from({ length: 100 }, (_, i) => `room-${i}`);
    for (const channel of channels) server.backend.subscribe('1.1', channel);
    const response = await server.pusher.trigger(channels, 'ev', 'hello');
    expect(response.status).toBe(200);
    expect(server.backend.triggerCalls).toHaveLength(1);
    expect(server.backend.deliveredTo('1.1').map((d) => d.channel)).toEqual(channels);
  });

  it('trigger with socket_id excludes that socket', async () => {
    server.backend.subscribe('111.222', 'ch').subscribe('333.444', 'ch');
    await server.pusher.trigger('ch', 'ev', {}, { socket_id: '111.222' });
    expect(server.backend.deliveredTo('111.222')).toEqual([]);
    expect(server.backend.deliveredTo('333.444')).toHaveLength(1);
  });

  it('trigger with info returns per-channel counts', async () => {
    server.backend
      .subscribe('1.1', 'presence-room', 'u1')
      .subscribe('1.2', 'presence-room', 'u1')
      .subscribe('1.3', 'presence-room', 'u2');
    server.backend.subscribe('1.1', 'news').subscribe('1.2', 'news');
    const response = await server.pusher.trigger(
      ['presence-room', 'news'],
      'ev',
      {},
      { info: 'user_count,subscription_count' },
    );
    expect(await response.json()).toEqual({
      channels: { 'presence-room': { user_count: 2 }, news: { subscription_count: 2 } },
    });
  });

  it('triggerBatch with 10 events works; 11 gives 400', async () => {
    server.backend.subscribe('1.1', 'b0');
    const batch = (n: number): { channel: string; name: string; data: unknown }[] =>
      Array.from({ length: n }, (_, i) => ({ channel: `b${i}`, name: 'ev', data: { i } }));
    const response = await server.pusher.triggerBatch(batch(10));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(server.backend.triggerCalls[0]).toHaveLength(10);
    expect(server.backend.deliveredTo('1.1')).toEqual([
      { socketId: '1.1', channel: 'b0', name: 'ev', data: '{"i":0}' },
    ]);

    const failure = await sdkFailure(server.pusher.triggerBatch(batch(11)));
    expect(failure.status).toBe(400);
    expect(failure.body).toEqual({ error: 'at most 10 events may be sent in one batch', code: 400 });
    expect(server.backend.triggerCalls).toHaveLength(1);
  });

  it('triggerBatch with info answers index-aligned', async () => {
    server.backend.subscribe('1.1', 'a');
    const response = await server.pusher.triggerBatch([
      { channel: 'a', name: 'ev', data: 1, info: 'subscription_count' },
      { channel: 'b', name: 'ev', data: 2 },
    ]);
    expect(await response.json()).toEqual({ batch: [{ subscription_count: 1 }, {}] });
  });

  it('GET /channels with filter_by_prefix=presence- and info=user_count counts unique users', async () => {
    server.backend
      .subscribe('1.1', 'presence-a', 'u1')
      .subscribe('1.2', 'presence-a', 'u1')
      .subscribe('1.3', 'presence-a', 'u2');
    server.backend.subscribe('1.1', 'presence-b', 'u1').subscribe('1.1', 'public-c');
    const response = await server.pusher.get({
      path: '/channels',
      params: { filter_by_prefix: 'presence-', info: 'user_count' },
    });
    expect(await response.json()).toEqual({
      channels: { 'presence-a': { user_count: 2 }, 'presence-b': { user_count: 1 } },
    });

    const failure = await sdkFailure(
      server.pusher.get({ path: '/channels', params: { info: 'user_count' } }),
    );
    expect(failure.status).toBe(400);
  });

  it('GET /channels/:name answers occupied and user_count; 400 for an attribute of another type', async () => {
    server.backend.subscribe('1.1', 'presence-x', 'u1').subscribe('1.2', 'presence-x', 'u2');
    const response = await server.pusher.get({
      path: '/channels/presence-x',
      params: { info: 'user_count' },
    });
    expect(await response.json()).toEqual({ occupied: true, user_count: 2 });
    const plain = await server.pusher.get({ path: '/channels/presence-x' });
    expect(await plain.json()).toEqual({ occupied: true });
    const empty = await server.pusher.get({ path: '/channels/news', params: { info: 'subscription_count' } });
    expect(await empty.json()).toEqual({ occupied: false, subscription_count: 0 });

    expect(
      (await sdkFailure(server.pusher.get({ path: '/channels/news', params: { info: 'user_count' } })))
        .status,
    ).toBe(400);
  });

  it('GET /channels/:name works with every allowed channel-name character', async () => {
    const name = 'private-a_b-c=d@e,f.g;h';
    server.backend.subscribe('1.1', name);
    const response = await server.pusher.get({
      path: `/channels/${name}`,
      params: { info: 'subscription_count' },
    });
    expect(await response.json()).toEqual({ occupied: true, subscription_count: 1 });
  });

  it('GET /channels/:name/users lists unique ids; 400 on a non-presence channel', async () => {
    server.backend
      .subscribe('1.1', 'presence-x', 'u1')
      .subscribe('1.2', 'presence-x', 'u1')
      .subscribe('1.3', 'presence-x', 'u2');
    const response = await server.pusher.get({ path: '/channels/presence-x/users' });
    expect(await response.json()).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }] });

    const failure = await sdkFailure(server.pusher.get({ path: '/channels/private-x/users' }));
    expect(failure).toEqual({
      status: 400,
      body: { error: 'users are only available for presence channels', code: 400 },
    });
  });

  it('terminateUserConnections closes that user only', async () => {
    server.backend.signIn('1.1', 'u1').signIn('1.2', 'u1').signIn('1.3', 'u2');
    const response = await server.pusher.terminateUserConnections('u1');
    expect(await response.json()).toEqual({});
    expect(server.backend.terminated).toEqual(['u1']);
    expect([...server.backend.sockets.keys()]).toEqual(['1.3']);
  });

  it('sendToUser reaches the connections signed in as that user', async () => {
    server.backend.signIn('1.1', 'u1').signIn('1.2', 'u2').subscribe('1.3', 'ch');
    const response = await server.pusher.sendToUser('u1', 'greet', { hi: true });
    expect(response.status).toBe(200);
    expect(server.backend.deliveries).toEqual([
      { socketId: '1.1', channel: '#server-to-user-u1', name: 'greet', data: '{"hi":true}' },
    ]);
  });

  it('a payload over the app limit gives 413', async () => {
    const failure = await sdkFailure(server.pusher.trigger('ch', 'ev', 'x'.repeat(10 * 1024 + 1)));
    expect(failure).toEqual({ status: 413, body: { error: 'data is larger than 10240 bytes', code: 413 } });
    expect(server.backend.triggerCalls).toEqual([]);
  });

  it('a wrong secret gives 401 naming the failed check', async () => {
    const { default: Pusher } = await import('pusher');
    const wrong = new Pusher({
      appId: '42',
      key: 'test-key',
      secret: 'wrong',
      host: '127.0.0.1',
      port: String(server.port),
      useTLS: false,
    });
    const failure = await sdkFailure(wrong.trigger('ch', 'ev', {}));
    expect(failure).toEqual({
      status: 401,
      body: { error: 'auth_signature: auth_signature does not match', code: 401 },
    });
    expect(server.backend.triggerCalls).toEqual([]);
  });
});
