import { describe, expect, it, vi } from 'vitest';
import { FakeConnection } from '../../test/support/fake-connection.js';
import { fakeFetch, settle } from '../../test/support/fake-fetch.js';
import { fakePlatform } from '../../test/support/fake-platform.js';
import { Tether } from '../client.js';
import type { TetherOptions } from '../client-options.js';

/** Client events: the rules of spec §5.6 and the offline queue. */
function setup(options: TetherOptions = {}) {
  const connection = new FakeConnection();
  const platform = fakePlatform(fakeFetch(() => ({ status: 500, body: '' })).fetch);
  const tether = new Tether('k', {
    connection,
    platform,
    channelAuthorization: { customHandler: (r) => ({ auth: `k:${r.socketId}` }) },
    ...options,
  });
  const errors = vi.fn();
  tether.bind('error', errors);
  return { tether, connection, errors };
}

const succeed = (connection: FakeConnection, channel: string): void =>
  connection.receive({ event: 'pusher_internal:subscription_succeeded', channel });

async function subscribed(connection: FakeConnection, tether: Tether, name: `private-${string}`) {
  const channel = tether.subscribe(name);
  await settle();
  expect(connection.sentOf('pusher:subscribe').length).toBeGreaterThan(0);
  succeed(connection, name);
  return channel;
}

describe('channel.trigger', () => {
  it('sends client- events on a subscribed private channel as {event, channel, data}', async () => {
    const { tether, connection, errors } = setup();
    connection.open('1.1');
    const channel = await subscribed(connection, tether, 'private-chat');
    expect(channel.trigger('client-typing', { who: 'ann' })).toBe(true);
    expect(connection.sentOf('client-typing')).toEqual([
      { event: 'client-typing', channel: 'private-chat', data: { who: 'ann' } },
    ]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('refuses names without client- and public channels, with false and a coded error event', () => {
    const { tether, connection, errors } = setup();
    connection.open('1.1');
    const pub = tether.subscribe('news');
    const priv = tether.subscribe('private-chat');
    expect(priv.trigger('typing', {})).toBe(false);
    expect(pub.trigger('client-typing', {})).toBe(false);
    expect(errors.mock.calls.map(([c]) => [c.code, c.channel])).toEqual([
      ['invalid_client_event_name', 'private-chat'],
      ['client_event_not_allowed', 'news'],
    ]);
    expect(connection.sent.filter((f) => f.event.startsWith('client-'))).toEqual([]);
  });

  it('refuses triggering on a channel object that was unsubscribed', async () => {
    const { tether, connection, errors } = setup();
    connection.open('1.1');
    const channel = await subscribed(connection, tether, 'private-chat');
    tether.unsubscribe('private-chat');
    expect(channel.trigger('client-x', {})).toBe(false);
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'channel_not_subscribed' }));
  });

  it('queues events while offline and flushes them in order once the channel is subscribed again', async () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = await subscribed(connection, tether, 'private-chat');
    connection.drop();
    expect(channel.trigger('client-a', 1)).toBe(true);
    expect(channel.trigger('client-b', 2)).toBe(true);
    expect(tether.queuedClientEvents).toBe(2);
    connection.clearSent();
    connection.open('2.2');
    await settle();
    expect(connection.sentOf('pusher:subscribe')).toHaveLength(1);
    // Not yet subscribed on the new socket: the server would refuse them.
    expect(connection.sent.filter((f) => f.event.startsWith('client-'))).toEqual([]);
    expect(channel.trigger('client-c', 3)).toBe(true);
    succeed(connection, 'private-chat');
    expect(connection.sent.filter((f) => f.event.startsWith('client-'))).toEqual([
      { event: 'client-a', channel: 'private-chat', data: 1 },
      { event: 'client-b', channel: 'private-chat', data: 2 },
      { event: 'client-c', channel: 'private-chat', data: 3 },
    ]);
    expect(tether.queuedClientEvents).toBe(0);
  });

  it('queues events triggered before the first connection', async () => {
    const { tether, connection } = setup();
    const channel = tether.subscribe('private-chat');
    expect(channel.trigger('client-early', 'x')).toBe(true);
    connection.open('1.1');
    await settle();
    succeed(connection, 'private-chat');
    expect(connection.sentOf('client-early')).toEqual([
      { event: 'client-early', channel: 'private-chat', data: 'x' },
    ]);
  });

  it('returns false and emits client_event_queue_full when the bounded queue is full', () => {
    const { tether, errors } = setup({ clientEventQueueSize: 2 });
    const channel = tether.subscribe('private-chat');
    expect(channel.trigger('client-1', 1)).toBe(true);
    expect(channel.trigger('client-2', 2)).toBe(true);
    expect(channel.trigger('client-3', 3)).toBe(false);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalledWith({
      event: 'error',
      code: 'client_event_queue_full',
      message: expect.stringContaining('2 events already wait'),
      channel: 'private-chat',
    });
    expect(tether.queuedClientEvents).toBe(2);
  });

  it('uses the default queue size from tetherDefaults', async () => {
    const { tetherDefaults } = await import('../client-options.js');
    const { tether } = setup();
    const channel = tether.subscribe('private-chat');
    for (let i = 0; i < tetherDefaults.clientEventQueueSize; i += 1)
      expect(channel.trigger('client-x', i)).toBe(true);
    expect(channel.trigger('client-x', 'over')).toBe(false);
  });

  it('drops queued events (with an error) when the channel fails to subscribe, or is unsubscribed', async () => {
    const { tether, connection, errors } = setup({
      channelAuthorization: { customHandler: () => Promise.reject(new Error('403')) },
    });
    const channel = tether.subscribe('private-chat');
    channel.trigger('client-a', 1);
    connection.open('1.1');
    await settle();
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'client_events_dropped' }));
    expect(tether.queuedClientEvents).toBe(0);
    const other = tether.subscribe('private-other');
    other.trigger('client-b', 2);
    tether.unsubscribe('private-other');
    expect(tether.queuedClientEvents).toBe(0);
  });
});
