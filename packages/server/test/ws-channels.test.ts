import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextServerEvent, startServer, type TestServer } from './support/test-server.js';
import { ClientPool, presenceAuth, privateAuth } from './support/ws-test-client.js';

let server: TestServer;
let pool: ClientPool;

beforeEach(async () => {
  server = await startServer({
    apps: [
      {
        id: 'app-id',
        key: 'app-key',
        secret: 'app-secret',
        maxPresenceMembersPerChannel: 2,
        maxPresenceMemberSizeBytes: 64,
      },
    ],
  });
  pool = new ClientPool(server.wsUrl);
});

afterEach(async () => {
  pool.closeAll();
  await server.close();
});

const app = () => server.tether.apps.findByKey('app-key')!;

describe('public and private channels', () => {
  it('a public subscribe gets subscription_succeeded and receives API events with data passed through verbatim', async () => {
    const { client } = await pool.connect();
    const ok = await client.subscribe('news');
    expect(ok.event).toBe('pusher_internal:subscription_succeeded');
    await server.tether.trigger(app(), [{ channel: 'news', name: 'headline', data: 'not json' }]);
    const event = await client.nextEvent('headline');
    expect(event.data).toBe('not json');
  });

  it('a private subscribe with a valid signature succeeds', async () => {
    const { client, socketId } = await pool.connect();
    const reply = await client.subscribe('private-room', {
      auth: privateAuth('app-key', 'app-secret', socketId, 'private-room'),
    });
    expect(reply.event).toBe('pusher_internal:subscription_succeeded');
  });

  it('a tampered signature gets AuthError 401 plus pusher:error, no subscription and no close', async () => {
    const { client, socketId } = await pool.connect();
    const good = privateAuth('app-key', 'app-secret', socketId, 'private-room');
    const tampered = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    const reply = await client.subscribe('private-room', { auth: tampered });
    expect(reply.event).toBe('pusher:subscription_error');
    expect(reply.parsed).toMatchObject({ type: 'AuthError', status: 401 });
    const error = await client.nextEvent('pusher:error');
    expect(error.parsed).toMatchObject({ code: null });
    expect((error.parsed as { message: string }).message).toContain('Invalid signature');
    await server.tether.trigger(app(), [{ channel: 'private-room', name: 'secret', data: '{}' }]);
    await client.sync();
    expect(client.all((m) => m.event === 'secret')).toHaveLength(0);
    expect(server.tether.connectionCount).toBe(1);
  });

  it('a missing signature, a signature for another socket and a foreign key are all refused', async () => {
    const { client, socketId } = await pool.connect();
    expect((await client.subscribe('private-a')).event).toBe('pusher:subscription_error');
    expect(
      (
        await client.subscribe('private-b', {
          auth: privateAuth('app-key', 'app-secret', '1.2', 'private-b'),
        })
      ).event,
    ).toBe('pusher:subscription_error');
    const foreign = privateAuth('other-key', 'app-secret', socketId, 'private-c');
    expect((await client.subscribe('private-c', { auth: foreign })).event).toBe('pusher:subscription_error');
  });

  it('private-encrypted channels authorise like private ones and relay data opaquely', async () => {
    const { client, socketId } = await pool.connect();
    const channel = 'private-encrypted-vault';
    expect(
      (await client.subscribe(channel, { auth: privateAuth('app-key', 'app-secret', socketId, channel) }))
        .event,
    ).toBe('pusher_internal:subscription_succeeded');
    const ciphertext = '{"nonce":"bm9uY2U=","ciphertext":"Y2lwaGVy"}';
    await server.tether.trigger(app(), [{ channel, name: 'sealed', data: ciphertext }]);
    expect((await client.nextEvent('sealed')).data).toBe(ciphertext);
  });

  it('a trigger with socketId excludes that connection', async () => {
    const { client: a, socketId } = await pool.connect();
    const { client: b } = await pool.connect();
    await a.subscribe('news');
    await b.subscribe('news');
    await server.tether.trigger(app(), [{ channel: 'news', name: 'headline', data: '{}', socketId }]);
    await b.nextEvent('headline');
    await a.sync();
    expect(a.all((m) => m.event === 'headline')).toHaveLength(0);
  });

  it('reports channel_occupied and channel_vacated once per transition, and counts through the API backend', async () => {
    const occupied = nextServerEvent(server.tether, 'channel_occupied');
    const { client: a } = await pool.connect();
    const { client: b } = await pool.connect();
    await a.subscribe('news');
    expect(await occupied).toMatchObject({ channel: 'news' });
    await b.subscribe('news');
    expect(await server.tether.channelInfo(app(), 'news')).toEqual({ subscriptionCount: 2 });
    expect([...(await server.tether.channels(app(), undefined)).keys()]).toEqual(['news']);
    const vacated = nextServerEvent(server.tether, 'channel_vacated');
    a.send({ event: 'pusher:unsubscribe', data: { channel: 'news' } });
    b.close();
    expect(await vacated).toMatchObject({ channel: 'news' });
    expect((await server.tether.channels(app(), undefined)).size).toBe(0);
  });
});

describe('presence channels', () => {
  const channel = 'presence-room';
  const join = async (userId: string | number, info: unknown = { name: `user ${userId}` }) => {
    const { client, socketId } = await pool.connect();
    const channelData = JSON.stringify({ user_id: userId, user_info: info });
    const reply = await client.subscribe(channel, {
      auth: presenceAuth('app-key', 'app-secret', socketId, channel, channelData),
      channel_data: channelData,
    });
    return { client, socketId, reply };
  };

  it('subscription_succeeded carries {presence:{ids,hash,count}} keyed by user id', async () => {
    await join('u1');
    const { reply } = await join('u2');
    expect(reply.parsed).toEqual({
      presence: { ids: ['u1', 'u2'], hash: { u1: { name: 'user u1' }, u2: { name: 'user u2' } }, count: 2 },
    });
  });

  it('a numeric user_id becomes its string form', async () => {
    const { reply } = await join(10);
    expect(reply.parsed).toEqual({
      presence: { ids: ['10'], hash: { '10': { name: 'user 10' } }, count: 1 },
    });
    expect(await server.tether.channelUsers(app(), channel)).toEqual(['10']);
  });

  it('member_added only on a user first connection, member_removed only on their last', async () => {
    const watcher = await join('watcher');
    const tab1 = await join('alice');
    const added = await watcher.client.nextEvent('pusher_internal:member_added');
    expect(added.parsed).toEqual({ user_id: 'alice', user_info: { name: 'user alice' } });
    const tab2 = await join('alice');
    expect(tab2.reply.parsed).toMatchObject({ presence: { count: 2 } });
    await watcher.client.sync();
    expect(watcher.client.all((m) => m.event === 'pusher_internal:member_added')).toHaveLength(1);
    expect(tab1.client.all((m) => m.event === 'pusher_internal:member_added')).toHaveLength(0);

    let gone = nextServerEvent(server.tether, 'disconnection', (c) => c.socketId === tab1.socketId);
    tab1.client.close();
    await gone;
    await watcher.client.sync();
    expect(watcher.client.all((m) => m.event === 'pusher_internal:member_removed')).toHaveLength(0);

    gone = nextServerEvent(server.tether, 'disconnection', (c) => c.socketId === tab2.socketId);
    tab2.client.close();
    await gone;
    const removed = await watcher.client.nextEvent('pusher_internal:member_removed');
    expect(removed.parsed).toEqual({ user_id: 'alice' });
    await watcher.client.sync();
    expect(watcher.client.all((m) => m.event === 'pusher_internal:member_removed')).toHaveLength(1);
    expect(await server.tether.channelInfo(app(), channel)).toEqual({ subscriptionCount: 1, userCount: 1 });
  });

  it('refuses a new member over maxPresenceMembersPerChannel but admits another tab of a present user', async () => {
    await join('u1');
    await join('u2');
    const third = await join('u3');
    expect(third.reply.event).toBe('pusher:subscription_error');
    expect(third.reply.parsed).toMatchObject({ type: 'LimitReached', status: 4100 });
    const again = await join('u1');
    expect(again.reply.event).toBe('pusher_internal:subscription_succeeded');
    expect(await server.tether.channelUsers(app(), channel)).toEqual(['u1', 'u2']);
  });

  it('refuses user_info over maxPresenceMemberSizeBytes', async () => {
    const big = await join('u1', { bio: 'x'.repeat(100) });
    expect(big.reply.event).toBe('pusher:subscription_error');
    expect(big.reply.parsed).toMatchObject({ type: 'LimitReached', status: 413 });
  });

  it('refuses a presence subscribe whose channel_data was not the one signed', async () => {
    const { client, socketId } = await pool.connect();
    const signed = JSON.stringify({ user_id: 'u1' });
    const reply = await client.subscribe(channel, {
      auth: presenceAuth('app-key', 'app-secret', socketId, channel, signed),
      channel_data: JSON.stringify({ user_id: 'admin' }),
    });
    expect(reply.parsed).toMatchObject({ type: 'AuthError', status: 401 });
  });
});
