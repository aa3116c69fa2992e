import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Tether, type ChannelEventContext, type MemberContext, type TetherOptions } from '@tether/client';
import { once, startClientTestServer, type ClientTestServer } from './support/client-test-server.js';

let server: ClientTestServer;
const clients: Tether[] = [];

beforeEach(async () => {
  server = await startClientTestServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await server.close();
});

function client(userId: string, options: TetherOptions = {}): Tether {
  const tether = new Tether('app-key', {
    host: '127.0.0.1',
    port: server.port,
    forceTLS: false,
    enabledTransports: ['websocket'],
    channelAuthorization: { endpoint: server.authUrl, params: { user_id: userId } },
    userAuthentication: { endpoint: server.userAuthUrl, params: { user_id: userId } },
    ...options,
  });
  clients.push(tether);
  return tether;
}

const connected = (tether: Tether) =>
  tether.connection.state === 'connected'
    ? Promise.resolve()
    : once((l) => tether.connection.bind('connected', l)).then(() => undefined);

function subscribed(tether: Tether, name: string) {
  const channel = tether.subscribe(name);
  return once((l) => channel.bind('pusher:subscription_succeeded', l)).then(() => channel);
}

describe('Tether against a real server (WebSocket)', () => {
  it('connects, gets a pusher-format socket id, and receives events on a public channel', async () => {
    const tether = client('ann');
    await connected(tether);
    expect(tether.connection.socketId).toMatch(/^\d+\.\d+$/);
    expect(tether.connection.diagnostics().transport).toBe('websocket');
    const channel = await subscribed(tether, 'news');
    const received = once<ChannelEventContext>((l) => channel.bind('headline', l));
    await server.trigger('news', 'headline', { title: 'hello' });
    expect(await received).toEqual({
      event: 'headline',
      channel: 'news',
      data: { title: 'hello' },
      userId: null,
    });
  });

  it('authorizes a private channel with the pusher-js form body, and surfaces a 403 as subscription_error', async () => {
    const tether = client('ann');
    await connected(tether);
    await subscribed(tether, 'private-room');
    const call = server.authCalls.find((c) => c.path === '/pusher/auth');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.body).toBe(`socket_id=${tether.connection.socketId}&channel_name=private-room&user_id=ann`);

    server.forbidden.add('private-secret');
    const channel = tether.subscribe('private-secret');
    const error = await once((l) => channel.bind('pusher:subscription_error', l));
    expect(error).toMatchObject({ event: 'pusher:subscription_error', type: 'AuthError', status: 403 });
    expect(channel.subscribed).toBe(false);
  });

  it('relays client events between two clients, never back to the sender', async () => {
    const ann = client('ann');
    const bob = client('bob');
    const [annRoom, bobRoom] = await Promise.all([
      subscribed(ann, 'private-room'),
      subscribed(bob, 'private-room'),
    ]);
    const echoes: unknown[] = [];
    annRoom.bind('client-typing', (context) => echoes.push(context));
    const atBob = once<ChannelEventContext>((l) => bobRoom.bind('client-typing', l));
    expect(annRoom.trigger('client-typing', { who: 'ann' })).toBe(true);
    expect(await atBob).toMatchObject({
      event: 'client-typing',
      channel: 'private-room',
      data: { who: 'ann' },
    });
    // A round trip from Ann after the relay: had the server echoed, it would have arrived by now.
    const back = once<ChannelEventContext>((l) => annRoom.bind('client-reply', l));
    bobRoom.trigger('client-reply', {});
    await back;
    expect(echoes).toEqual([]);
  });

  it('keeps presence members by user id: me, count, member_added once per user, member_removed on the last leave', async () => {
    const ann = client('ann');
    const annRoom = ann.subscribe('presence-room');
    await once((l) => annRoom.bind('pusher:subscription_succeeded', l));
    expect(annRoom.members.me).toEqual({ id: 'ann', info: { name: 'ann' } });
    expect(annRoom.members.count).toBe(1);

    const added = once<MemberContext>((l) => annRoom.bind('pusher:member_added', l));
    const bobTab1 = client('bob');
    const bobRoom1 = bobTab1.subscribe('presence-room');
    await once((l) => bobRoom1.bind('pusher:subscription_succeeded', l));
    expect((await added).member).toEqual({ id: 'bob', info: { name: 'bob' } });
    expect(bobRoom1.members.count).toBe(2);

    // A second tab of Bob: no new member for Ann.
    const bobTab2 = client('bob');
    const bobRoom2 = bobTab2.subscribe('presence-room');
    await once((l) => bobRoom2.bind('pusher:subscription_succeeded', l));
    expect(bobRoom2.members.count).toBe(2);
    expect(annRoom.members.count).toBe(2);

    const removed = once<MemberContext>((l) => annRoom.bind('pusher:member_removed', l));
    bobTab1.unsubscribe('presence-room');
    bobTab2.disconnect();
    expect((await removed).member.id).toBe('bob');
    expect(annRoom.members.count).toBe(1);
    expect(annRoom.members.get('bob')).toBeNull();
  });

  it('re-authorizes and resubscribes every channel with the new socket id after a reconnect', async () => {
    const tether = client('ann');
    const room = await subscribed(tether, 'private-room');
    const first = tether.connection.socketId;
    tether.disconnect();
    expect(room.subscribed).toBe(false);
    tether.connect();
    await once((l) => room.bind('pusher:subscription_succeeded', l));
    const second = tether.connection.socketId;
    expect(second).not.toBe(first);
    const bodies = server.authCalls.filter((c) => c.path === '/pusher/auth').map((c) => c.body);
    expect(bodies).toEqual([
      `socket_id=${first}&channel_name=private-room&user_id=ann`,
      `socket_id=${second}&channel_name=private-room&user_id=ann`,
    ]);
    const received = once<ChannelEventContext>((l) => room.bind('after', l));
    await server.trigger('private-room', 'after', { ok: true });
    expect((await received).data).toEqual({ ok: true });
  });

  it('queues client events while disconnected and delivers them in order after the reconnect', async () => {
    const ann = client('ann');
    const bob = client('bob');
    const [annRoom, bobRoom] = await Promise.all([
      subscribed(ann, 'private-room'),
      subscribed(bob, 'private-room'),
    ]);
    ann.disconnect();
    expect(annRoom.trigger('client-n', 1)).toBe(true);
    expect(annRoom.trigger('client-n', 2)).toBe(true);
    const seen: unknown[] = [];
    const both = new Promise<void>((resolve) => {
      bobRoom.bind('client-n', ({ data }) => {
        seen.push(data);
        if (seen.length === 2) resolve();
      });
    });
    ann.connect();
    await both;
    expect(seen).toEqual([1, 2]);
  });
});
