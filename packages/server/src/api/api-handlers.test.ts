import { describe, expect, it } from 'vitest';
import { FakeApiBackend } from '../../test/support/api-fake-backend.js';
import {
  getChannel,
  getChannelUsers,
  listChannels,
  terminateUserConnections,
  triggerBatch,
  triggerEvents,
  type ApiHandler,
  type ApiRequestContext,
} from './api-handlers.js';

function setup(): {
  backend: FakeApiBackend;
  call: (
    handler: ApiHandler,
    parts: Partial<ApiRequestContext> & { json?: unknown },
  ) => ReturnType<ApiHandler>;
} {
  const backend = new FakeApiBackend([{ id: '1', key: 'k', secret: 's' }]);
  const app = backend.findAppById('1')!;
  const call: ReturnType<typeof setup>['call'] = (handler, { json, ...parts }) =>
    handler({
      backend,
      app,
      query: {},
      params: {},
      body: json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json)),
      ...parts,
    });
  return { backend, call };
}

describe('triggerEvents', () => {
  it('publishes to every channel, excluding socket_id, and answers {}', async () => {
    const { backend, call } = setup();
    backend.subscribe('1.1', 'a').subscribe('1.2', 'a').subscribe('1.2', 'b');
    const result = await call(triggerEvents, {
      json: { name: 'ev', data: '"x"', channels: ['a', 'b'], socket_id: '1.1' },
    });
    expect(result).toEqual({ ok: true, value: {} });
    expect(backend.deliveredTo('1.1')).toEqual([]);
    expect(backend.deliveredTo('1.2').map((d) => d.channel)).toEqual(['a', 'b']);
  });

  it('answers info per channel after publishing', async () => {
    const { backend, call } = setup();
    backend
      .subscribe('1.1', 'presence-p', 'u1')
      .subscribe('1.2', 'presence-p', 'u1')
      .subscribe('1.3', 'public');
    const result = await call(triggerEvents, {
      json: {
        name: 'ev',
        data: '{}',
        channels: ['presence-p', 'public', '#server-to-user-u1'],
        info: 'user_count,subscription_count',
      },
    });
    expect(result).toEqual({
      ok: true,
      value: { channels: { 'presence-p': { user_count: 1 }, public: { subscription_count: 1 } } },
    });
  });

  it('keeps a channel literally named __proto__ as a key', async () => {
    const { call } = setup();
    const result = await call(triggerEvents, {
      json: { name: 'ev', data: '{}', channels: ['__proto__'], info: 'subscription_count' },
    });
    expect(result.ok && JSON.stringify(result.value)).toBe(
      '{"channels":{"__proto__":{"subscription_count":0}}}',
    );
  });

  it('publishes nothing when the request is invalid', async () => {
    const { backend, call } = setup();
    expect(
      await call(triggerEvents, { json: { name: 'ev', data: 'x'.repeat(20_000), channels: ['a'] } }),
    ).toMatchObject({ ok: false, failure: { status: 413 } });
    expect(await call(triggerEvents, { body: Buffer.from('{nope') })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
    expect(await call(triggerEvents, { body: Buffer.from('{"__proto__":{}}') })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
    expect(await call(triggerEvents, {})).toMatchObject({ ok: false, failure: { status: 400 } });
    expect(backend.triggerCalls).toEqual([]);
  });

  it('routes #server-to-user- to signed-in sockets', async () => {
    const { backend, call } = setup();
    backend.signIn('1.1', 'u1').signIn('1.2', 'u2');
    await call(triggerEvents, { json: { name: 'ev', data: '{}', channels: ['#server-to-user-u1'] } });
    expect(backend.deliveries.map((d) => d.socketId)).toEqual(['1.1']);
  });
});

describe('triggerBatch', () => {
  it('publishes all events in one backend call and answers {} without info', async () => {
    const { backend, call } = setup();
    const batch = [
      { channel: 'a', name: 'e1', data: '1' },
      { channel: 'b', name: 'e2', data: '2' },
    ];
    expect(await call(triggerBatch, { json: { batch } })).toEqual({ ok: true, value: {} });
    expect(backend.triggerCalls).toEqual([
      [
        { channel: 'a', name: 'e1', data: '1' },
        { channel: 'b', name: 'e2', data: '2' },
      ],
    ]);
  });

  it('answers info index-aligned, {} where none was asked', async () => {
    const { backend, call } = setup();
    backend.subscribe('1.1', 'a').subscribe('1.1', 'presence-p', 'u9');
    const batch = [
      { channel: 'a', name: 'e', data: '1', info: 'subscription_count' },
      { channel: 'a', name: 'e', data: '1' },
      { channel: 'presence-p', name: 'e', data: '1', info: 'user_count' },
    ];
    expect(await call(triggerBatch, { json: { batch } })).toEqual({
      ok: true,
      value: { batch: [{ subscription_count: 1 }, {}, { user_count: 1 }] },
    });
  });

  it('refuses 11 events without publishing any', async () => {
    const { backend, call } = setup();
    const batch = Array.from({ length: 11 }, (_, i) => ({ channel: `c${i}`, name: 'e', data: 'x' }));
    expect(await call(triggerBatch, { json: { batch } })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
    expect(backend.triggerCalls).toEqual([]);
  });
});

describe('listChannels', () => {
  it('lists occupied channels filtered by prefix, with user counts for presence', async () => {
    const { backend, call } = setup();
    backend
      .subscribe('1.1', 'presence-a', 'u1')
      .subscribe('1.2', 'presence-a', 'u1')
      .subscribe('1.3', 'presence-a', 'u2');
    backend.subscribe('1.1', 'presence-b', 'u3').subscribe('1.1', 'public');
    expect(
      await call(listChannels, { query: { filter_by_prefix: 'presence-', info: 'user_count' } }),
    ).toEqual({
      ok: true,
      value: { channels: { 'presence-a': { user_count: 2 }, 'presence-b': { user_count: 1 } } },
    });
    expect(await call(listChannels, {})).toEqual({
      ok: true,
      value: { channels: { 'presence-a': {}, 'presence-b': {}, public: {} } },
    });
  });

  it('refuses user_count without a presence- prefix, and other attributes', async () => {
    const { call } = setup();
    expect(await call(listChannels, { query: { info: 'user_count' } })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
    expect(
      await call(listChannels, { query: { filter_by_prefix: 'private-', info: 'user_count' } }),
    ).toMatchObject({ ok: false, failure: { status: 400 } });
    expect(await call(listChannels, { query: { info: 'subscription_count' } })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
  });
});

describe('getChannel', () => {
  it('answers occupied and the requested attributes', async () => {
    const { backend, call } = setup();
    backend.subscribe('1.1', 'presence-x', 'u1').subscribe('1.2', 'presence-x', 'u1').subscribe('1.1', 'x');
    expect(await call(getChannel, { params: { name: 'presence-x' }, query: { info: 'user_count' } })).toEqual(
      {
        ok: true,
        value: { occupied: true, user_count: 1 },
      },
    );
    expect(await call(getChannel, { params: { name: 'x' }, query: { info: 'subscription_count' } })).toEqual({
      ok: true,
      value: { occupied: true, subscription_count: 1 },
    });
    expect(await call(getChannel, { params: { name: 'empty' } })).toEqual({
      ok: true,
      value: { occupied: false },
    });
  });

  it('answers the cache of a cache channel', async () => {
    const { backend, call } = setup();
    backend.cache.set('cache-x', { data: '{"a":1}', ttl: 12 });
    expect(await call(getChannel, { params: { name: 'cache-x' }, query: { info: 'cache' } })).toEqual({
      ok: true,
      value: { occupied: false, cache: { data: '{"a":1}', ttl: 12 } },
    });
  });

  it.each([
    ['presence-x', 'subscription_count'],
    ['x', 'user_count'],
    ['x', 'cache'],
    ['x', 'bogus'],
    ['a b', ''],
    ['#server-to-user-u', ''],
  ])('refuses %s with info=%s', async (name, info) => {
    const { call } = setup();
    expect(await call(getChannel, { params: { name }, query: { info } })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
  });
});

describe('getChannelUsers', () => {
  it('lists unique users of a presence channel', async () => {
    const { backend, call } = setup();
    backend
      .subscribe('1.1', 'presence-x', 'u1')
      .subscribe('1.2', 'presence-x', 'u1')
      .subscribe('1.3', 'presence-x', 'u2');
    expect(await call(getChannelUsers, { params: { name: 'presence-x' } })).toEqual({
      ok: true,
      value: { users: [{ id: 'u1' }, { id: 'u2' }] },
    });
  });

  it('refuses non-presence channels', async () => {
    const { call } = setup();
    expect(await call(getChannelUsers, { params: { name: 'private-x' } })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
  });
});

describe('terminateUserConnections', () => {
  it('terminates the user and answers {}', async () => {
    const { backend, call } = setup();
    expect(await call(terminateUserConnections, { params: { userId: 'u1' } })).toEqual({
      ok: true,
      value: {},
    });
    expect(backend.terminated).toEqual(['u1']);
  });

  it('refuses an overlong user id', async () => {
    const { backend, call } = setup();
    expect(await call(terminateUserConnections, { params: { userId: 'u'.repeat(129) } })).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
    expect(backend.terminated).toEqual([]);
  });
});
