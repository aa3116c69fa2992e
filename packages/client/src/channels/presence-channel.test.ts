import { describe, expect, it, vi } from 'vitest';
import { FakeConnection } from '../../test/support/fake-connection.js';
import { fakeFetch, settle } from '../../test/support/fake-fetch.js';
import { fakePlatform } from '../../test/support/fake-platform.js';
import { Tether } from '../client.js';

const channelData = JSON.stringify({ user_id: 42, user_info: { name: 'Ann' } });

function setup(data: string | null = channelData) {
  const connection = new FakeConnection();
  const http = fakeFetch(() => ({
    status: 200,
    body: JSON.stringify({ auth: 'k:sig', ...(data !== null ? { channel_data: data } : {}) }),
  }));
  const tether = new Tether('k', { connection, platform: fakePlatform(http.fetch) });
  return { tether, connection, http };
}

const snapshot = (hash: Record<string, unknown>) =>
  JSON.stringify({ presence: { ids: Object.keys(hash), hash, count: Object.keys(hash).length } });

describe('PresenceChannel', () => {
  it('sends the authorized channel_data verbatim, and fills members and me from subscription_succeeded', async () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = tether.subscribe('presence-room');
    await settle();
    expect(connection.sentOf('pusher:subscribe')).toEqual([
      {
        event: 'pusher:subscribe',
        data: { channel: 'presence-room', auth: 'k:sig', channel_data: channelData },
      },
    ]);
    const succeeded = vi.fn();
    channel.bind('pusher:subscription_succeeded', succeeded);
    connection.receive({
      event: 'pusher_internal:subscription_succeeded',
      channel: 'presence-room',
      data: snapshot({ '42': { name: 'Ann' }, '7': { name: 'Bob' } }),
    });
    expect(succeeded).toHaveBeenCalledWith({
      event: 'pusher:subscription_succeeded',
      channel: 'presence-room',
      members: channel.members,
    });
    expect(channel.members.count).toBe(2);
    expect(channel.members.me).toEqual({ id: '42', info: { name: 'Ann' } });
    expect(channel.members.get('7')).toEqual({ id: '7', info: { name: 'Bob' } });
    expect(channel.members.get('8')).toBeNull();
    const seen: string[] = [];
    channel.members.each((m) => seen.push(m.id));
    expect(seen.sort()).toEqual(['42', '7']);
  });

  it('keeps members keyed by user id: member_added/removed update them and emit with the member', async () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = tether.subscribe('presence-room');
    await settle();
    connection.receive({
      event: 'pusher_internal:subscription_succeeded',
      channel: 'presence-room',
      data: snapshot({ '42': null }),
    });
    const added = vi.fn();
    const removed = vi.fn();
    channel.bind('pusher:member_added', added);
    channel.bind('pusher:member_removed', removed);
    connection.receive({
      event: 'pusher_internal:member_added',
      channel: 'presence-room',
      data: '{"user_id":"7","user_info":{"n":1}}',
    });
    // A second tab of the same user: still one member, no second event.
    connection.receive({
      event: 'pusher_internal:member_added',
      channel: 'presence-room',
      data: '{"user_id":"7","user_info":{"n":1}}',
    });
    // A numeric id is the same member as its string form.
    connection.receive({
      event: 'pusher_internal:member_added',
      channel: 'presence-room',
      data: '{"user_id":42}',
    });
    expect(channel.members.count).toBe(2);
    expect(added.mock.calls).toEqual([
      [{ event: 'pusher:member_added', channel: 'presence-room', member: { id: '7', info: { n: 1 } } }],
    ]);
    connection.receive({
      event: 'pusher_internal:member_removed',
      channel: 'presence-room',
      data: '{"user_id":"7"}',
    });
    connection.receive({
      event: 'pusher_internal:member_removed',
      channel: 'presence-room',
      data: '{"user_id":"nobody"}',
    });
    expect(removed.mock.calls).toEqual([
      [{ event: 'pusher:member_removed', channel: 'presence-room', member: { id: '7', info: { n: 1 } } }],
    ]);
    expect(channel.members.count).toBe(1);
  });

  it('clears members when the connection drops, and refills them after the resubscribe', async () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = tether.subscribe('presence-room');
    await settle();
    connection.receive({
      event: 'pusher_internal:subscription_succeeded',
      channel: 'presence-room',
      data: snapshot({ '42': null, '7': null }),
    });
    connection.drop();
    expect(channel.members.count).toBe(0);
    expect(channel.members.me).toBeNull();
    connection.open('2.2');
    await settle();
    connection.receive({
      event: 'pusher_internal:subscription_succeeded',
      channel: 'presence-room',
      data: snapshot({ '42': null }),
    });
    expect(channel.members.count).toBe(1);
    expect(channel.members.me?.id).toBe('42');
  });

  it('passes the sender user_id of presence client events to listeners', async () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    const channel = tether.subscribe('presence-room');
    await settle();
    const listener = vi.fn();
    channel.bind('client-wave', listener);
    connection.receive({ event: 'client-wave', channel: 'presence-room', data: { hi: 1 }, user_id: '7' });
    expect(listener).toHaveBeenCalledWith({
      event: 'client-wave',
      channel: 'presence-room',
      data: { hi: 1 },
      userId: '7',
    });
  });

  it.each([
    ['missing', null],
    ['not JSON', 'nope'],
    ['without user_id', '{"user_info":{}}'],
  ])('fails the subscription when channel_data is %s', async (_name, data) => {
    const { tether, connection } = setup(data);
    connection.open('1.1');
    const channel = tether.subscribe('presence-room');
    const onError = vi.fn();
    channel.bind('pusher:subscription_error', onError);
    await settle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ type: 'AuthError', status: 200 }));
    expect(connection.sentOf('pusher:subscribe')).toEqual([]);
  });
});
