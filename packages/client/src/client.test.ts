import { describe, expect, it, vi } from 'vitest';
import { FakeConnection } from '../test/support/fake-connection.js';
import { fakeFetch, settle, type FakeReply, type RecordedRequest } from '../test/support/fake-fetch.js';
import { fakePlatform } from '../test/support/fake-platform.js';
import { Tether } from './client.js';
import type { TetherOptions } from './client-options.js';
import { TetherError } from './client-errors.js';

const authFor = (request: RecordedRequest): FakeReply => {
  const form = new URLSearchParams(request.body);
  return {
    status: 200,
    body: JSON.stringify({ auth: `key:${form.get('socket_id')}/${form.get('channel_name')}` }),
  };
};

function setup(
  options: TetherOptions = {},
  reply: (request: RecordedRequest) => FakeReply = authFor,
  manual = false,
) {
  const connection = new FakeConnection();
  const http = fakeFetch(reply, manual);
  const tether = new Tether('app-key', { connection, platform: fakePlatform(http.fetch), ...options });
  return { tether, connection, http };
}

describe('Tether: connection', () => {
  it('connects in the constructor unless autoConnect is false, and exposes the connection', () => {
    const { tether, connection } = setup();
    expect(connection.connectCalls).toBe(1);
    expect(tether.connection).toBe(connection);
    tether.disconnect();
    expect(connection.disconnectCalls).toBe(1);
    const manual = setup({ autoConnect: false });
    expect(manual.connection.connectCalls).toBe(0);
    manual.tether.connect();
    expect(manual.connection.connectCalls).toBe(1);
  });

  it('needs a connection or an entry point that builds one', () => {
    expect(() => new Tether('k')).toThrow(TetherError);
  });
});

describe('Tether: public channels', () => {
  it('subscribes with auth "" once connected, and re-emits subscription_succeeded', () => {
    const { tether, connection } = setup();
    const channel = tether.subscribe('news');
    expect(connection.sent).toEqual([]);
    expect(tether.channel('news')).toBe(channel);
    expect(tether.subscribe('news')).toBe(channel);
    connection.open('1.1');
    expect(connection.sent).toEqual([{ event: 'pusher:subscribe', data: { channel: 'news', auth: '' } }]);
    const succeeded = vi.fn();
    channel.bind('pusher:subscription_succeeded', succeeded);
    expect(channel.subscriptionPending).toBe(true);
    connection.receive({ event: 'pusher_internal:subscription_succeeded', channel: 'news', data: '{}' });
    expect(succeeded).toHaveBeenCalledWith({
      event: 'pusher:subscription_succeeded',
      channel: 'news',
      members: null,
    });
    expect(channel.subscribed).toBe(true);
  });

  it('subscribes immediately when already connected', () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    tether.subscribe('a');
    expect(connection.sentOf('pusher:subscribe')).toHaveLength(1);
  });

  it('delivers app events decoded, to the channel and to tether.bind, with one context object', () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = tether.subscribe('news');
    const onChannel = vi.fn();
    const onClient = vi.fn();
    const onGlobal = vi.fn();
    channel.bind('headline', onChannel);
    tether.bind('headline', onClient);
    channel.bind_global(onGlobal);
    connection.receive({ event: 'headline', channel: 'news', data: '{"title":"hi"}' });
    connection.receive({ event: 'raw', channel: 'news', data: 'not json' });
    connection.receive({ event: 'headline', channel: 'elsewhere', data: '{}' });
    const context = { event: 'headline', channel: 'news', data: { title: 'hi' }, userId: null };
    expect(onChannel.mock.calls).toEqual([[context]]);
    expect(onClient.mock.calls).toEqual([
      [context],
      [{ event: 'headline', channel: 'elsewhere', data: {}, userId: null }],
    ]);
    expect(onGlobal.mock.calls).toEqual([
      [context],
      [{ event: 'raw', channel: 'news', data: 'not json', userId: null }],
    ]);
    channel.unbind('headline', onChannel);
    connection.receive({ event: 'headline', channel: 'news', data: '{}' });
    expect(onChannel).toHaveBeenCalledTimes(1);
  });

  it('re-emits subscription_count and cache_miss, and never leaks pusher_internal events', () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = tether.subscribe('cache-x');
    const all = vi.fn();
    channel.bind_global(all);
    connection.receive({
      event: 'pusher_internal:subscription_count',
      channel: 'cache-x',
      data: '{"subscription_count":3}',
    });
    connection.receive({ event: 'pusher:cache_miss', channel: 'cache-x' });
    connection.receive({ event: 'pusher_internal:something_new', channel: 'cache-x', data: '{}' });
    expect(all.mock.calls).toEqual([
      [{ event: 'pusher:subscription_count', channel: 'cache-x', count: 3 }],
      [{ event: 'pusher:cache_miss', channel: 'cache-x' }],
    ]);
    expect(channel.subscriptionCount).toBe(3);
  });

  it('unsubscribes: sends pusher:unsubscribe, forgets the channel, ignores its later frames', () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = tether.subscribe('news');
    connection.receive({ event: 'pusher_internal:subscription_succeeded', channel: 'news' });
    const listener = vi.fn();
    channel.bind('e', listener);
    tether.unsubscribe('news');
    expect(connection.sentOf('pusher:unsubscribe')).toEqual([
      { event: 'pusher:unsubscribe', data: { channel: 'news' } },
    ]);
    expect(tether.channel('news')).toBeUndefined();
    expect(tether.allChannels()).toEqual([]);
    expect(channel.subscribed).toBe(false);
    connection.receive({ event: 'e', channel: 'news', data: '{}' });
    expect(listener).not.toHaveBeenCalled();
    tether.unsubscribe('news');
    expect(connection.sentOf('pusher:unsubscribe')).toHaveLength(1);
  });

  it('throws TetherError for invalid, internal and encrypted channel names', () => {
    const { tether } = setup();
    expect(() => tether.subscribe('bad name!')).toThrow(TetherError);
    expect(() => tether.subscribe('#server-to-user-1')).toThrow(/internal/);
    expect(() => tether.subscribe('private-encrypted-x')).toThrow(/encrypted/);
  });

  it('emits pusher:error from the server on the client', () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const onError = vi.fn();
    tether.bind('pusher:error', onError);
    connection.receive({ event: 'pusher:error', data: '{"code":4301,"message":"slow down"}' });
    expect(onError).toHaveBeenCalledWith({ event: 'pusher:error', code: 4301, message: 'slow down' });
  });
});

describe('Tether: reconnects', () => {
  it('resets every channel on connecting/disconnected and resubscribes all with fresh auth and the new socket id', async () => {
    const { tether, connection, http } = setup({
      channelAuthorization: { endpoint: 'http://app.test/auth' },
    });
    const pub = tether.subscribe('news');
    const priv = tether.subscribe('private-room');
    connection.open('1.1');
    await settle();
    expect(connection.sentOf('pusher:subscribe')).toEqual([
      { event: 'pusher:subscribe', data: { channel: 'news', auth: '' } },
      { event: 'pusher:subscribe', data: { channel: 'private-room', auth: 'key:1.1/private-room' } },
    ]);
    connection.receive({ event: 'pusher_internal:subscription_succeeded', channel: 'news' });
    connection.receive({ event: 'pusher_internal:subscription_succeeded', channel: 'private-room' });
    expect(pub.subscribed && priv.subscribed).toBe(true);

    connection.drop();
    expect(pub.subscribed).toBe(false);
    expect(priv.subscribed).toBe(false);
    connection.clearSent();
    connection.open('2.2');
    await settle();
    expect(connection.sentOf('pusher:subscribe')).toEqual([
      { event: 'pusher:subscribe', data: { channel: 'news', auth: '' } },
      { event: 'pusher:subscribe', data: { channel: 'private-room', auth: 'key:2.2/private-room' } },
    ]);
    expect(http.requests.map((r) => r.body)).toEqual([
      'socket_id=1.1&channel_name=private-room',
      'socket_id=2.2&channel_name=private-room',
    ]);

    connection.disconnect();
    expect(connection.state).toBe('disconnected');
    expect(pub.subscriptionPending).toBe(false);
  });

  it('ignores an auth answer that arrives after the socket it was for is gone', async () => {
    const { tether, connection, http } = setup({}, authFor, true);
    tether.subscribe('private-room');
    connection.open('1.1');
    connection.drop();
    connection.open('2.2');
    http.release();
    await settle();
    expect(connection.sentOf('pusher:subscribe')).toEqual([]);
    http.release();
    await settle();
    expect(connection.sentOf('pusher:subscribe')).toEqual([
      { event: 'pusher:subscribe', data: { channel: 'private-room', auth: 'key:2.2/private-room' } },
    ]);
  });

  it('resubscribes when the socket id changes without a state change (a new transport took over)', () => {
    const { tether, connection } = setup();
    tether.subscribe('news');
    connection.open('1.1');
    connection.receive({ event: 'pusher_internal:subscription_succeeded', channel: 'news' });
    connection.clearSent();
    connection.socketId = '3.3';
    connection.emit('connected', { socketId: '3.3', transport: 'sse', activityTimeoutMs: 1000 });
    expect(connection.sentOf('pusher:subscribe')).toEqual([
      { event: 'pusher:subscribe', data: { channel: 'news', auth: '' } },
    ]);
    expect(tether.channel('news')?.subscribed).toBe(false);
  });
});

describe('Tether: private channel auth failures', () => {
  it.each([
    ['a 403', { status: 403, body: 'no' }, 403],
    ['invalid JSON', { status: 200, body: 'oops' }, 200],
  ] as const)(
    'turns %s into pusher:subscription_error {type:AuthError,status,error} and a client error',
    async (_n, reply, status) => {
      const { tether, connection } = setup({}, () => reply);
      const channel = tether.subscribe('private-room');
      const onSubError = vi.fn();
      const onError = vi.fn();
      channel.bind('pusher:subscription_error', onSubError);
      tether.bind('error', onError);
      connection.open('1.1');
      await settle();
      expect(onSubError).toHaveBeenCalledWith({
        event: 'pusher:subscription_error',
        channel: 'private-room',
        type: 'AuthError',
        status,
        error: expect.any(String),
      });
      expect(onError).toHaveBeenCalledWith(
        expect.objectContaining({ code: 'subscription_failed', channel: 'private-room' }),
      );
      expect(channel.subscriptionPending).toBe(false);
      expect(connection.sentOf('pusher:subscribe')).toEqual([]);
    },
  );

  it('surfaces a server-sent pusher:subscription_error on the channel', () => {
    const { tether, connection } = setup({
      channelAuthorization: { customHandler: () => ({ auth: 'k:bad' }) },
    });
    connection.open('1.1');
    const channel = tether.subscribe('private-x');
    const onSubError = vi.fn();
    channel.bind('pusher:subscription_error', onSubError);
    connection.receive({
      event: 'pusher:subscription_error',
      channel: 'private-x',
      data: '{"type":"AuthError","error":"Invalid signature","status":401}',
    });
    expect(onSubError).toHaveBeenCalledWith({
      event: 'pusher:subscription_error',
      channel: 'private-x',
      type: 'AuthError',
      status: 401,
      error: 'Invalid signature',
    });
  });
});
