import type Pusher from 'pusher';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisAdapter } from '../src/adapters/redis-adapter.js';
import { parseCliOptions } from '../src/cli-options.js';
import { createTetherServer } from '../src/server.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  startRedisNode,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from './support/redis-test-support.js';
import { defaultAppSdk, type TestServer } from './support/test-server.js';
import { ClientPool, presenceAuth, userAuth, type WsTestClient } from './support/ws-test-client.js';

// Two in-process Tether nodes, each with its own RedisAdapter on one real Redis, driven with raw
// WebSockets and the official `pusher` SDK. Real processes (SIGKILL, SIGTERM) are in packages/e2e.

let redis: Redis;
let prefix: string;
let nodes: TestServer[] = [];
let pools: ClientPool[] = [];

beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  for (const pool of pools) pool.closeAll();
  for (const node of nodes) await node.close();
  await deleteKeysUnder(redis, prefix);
  nodes = [];
  pools = [];
});

async function startNodes(count: number): Promise<{ node: TestServer; pool: ClientPool; pusher: Pusher }[]> {
  prefix = uniqueRedisPrefix();
  const started = [];
  for (let index = 0; index < count; index += 1) {
    const node = await startRedisNode(prefix);
    const pool = new ClientPool(node.wsUrl);
    nodes.push(node);
    pools.push(pool);
    started.push({ node, pool, pusher: defaultAppSdk(node.port) });
  }
  return started;
}

async function joinPresence(
  pool: ClientPool,
  channel: string,
  userId: string,
): Promise<{ client: WsTestClient; socketId: string }> {
  const { client, socketId } = await pool.connect();
  const channelData = JSON.stringify({ user_id: userId, user_info: { name: userId } });
  const ack = await client.subscribe(channel, {
    auth: presenceAuth('app-key', 'app-secret', socketId, channel, channelData),
    channel_data: channelData,
  });
  expect(ack.event).toBe('pusher_internal:subscription_succeeded');
  return { client, socketId };
}

describe('two Tether nodes over Redis', () => {
  it('an event triggered on node A reaches subscribers on B exactly once, and socket_id exclusion works across nodes', async () => {
    const [a, b] = await startNodes(2);
    const onB = await b!.pool.connect();
    const excluded = await b!.pool.connect();
    const onA = await a!.pool.connect();
    for (const client of [onB.client, excluded.client, onA.client]) await client.subscribe('news');
    const response = await a!.pusher.trigger('news', 'headline', { n: 1 }, { socket_id: excluded.socketId });
    expect(response.status).toBe(200);
    expect((await onB.client.nextEvent('headline', 'news')).parsed).toEqual({ n: 1 });
    expect((await onA.client.nextEvent('headline', 'news')).parsed).toEqual({ n: 1 });
    await a!.pusher.trigger('news', 'second', {});
    await onB.client.nextEvent('second', 'news');
    await excluded.client.nextEvent('second', 'news');
    await onA.client.nextEvent('second', 'news');
    expect(onB.client.all((m) => m.event === 'headline')).toHaveLength(1);
    expect(onA.client.all((m) => m.event === 'headline')).toHaveLength(1);
    expect(excluded.client.all((m) => m.event === 'headline')).toHaveLength(0);
  });

  it('client events from a connection on A reach B', async () => {
    const [a, b] = await startNodes(2);
    const sender = await joinPresence(a!.pool, 'presence-chat', 'alice');
    const receiver = await joinPresence(b!.pool, 'presence-chat', 'bob');
    sender.client.send({ event: 'client-typing', channel: 'presence-chat', data: { typing: true } });
    const typed = await receiver.client.nextEvent('client-typing', 'presence-chat');
    expect(typed.parsed).toEqual({ typing: true });
    expect(typed.user_id).toBe('alice');
  });

  it('presence is cluster-wide: one member list, member_added and member_removed only on first and last connection', async () => {
    const [a, b] = await startNodes(2);
    const watcher = await joinPresence(a!.pool, 'presence-room', 'watcher');
    const first = await joinPresence(b!.pool, 'presence-room', 'u');
    expect((await watcher.client.nextEvent('pusher_internal:member_added', 'presence-room')).parsed).toEqual({
      user_id: 'u',
      user_info: { name: 'u' },
    });
    const second = await joinPresence(a!.pool, 'presence-room', 'u');
    const members = second.client.all((m) => m.event === 'pusher_internal:subscription_succeeded')[0]!
      .parsed as { presence: { count: number } };
    expect(members.presence.count).toBe(2);
    expect(
      (await b!.pusher.get({ path: '/channels/presence-room/users' }).then((r) => r.json())) as unknown,
    ).toEqual({ users: [{ id: 'watcher' }, { id: 'u' }] });
    first.client.close();
    second.client.close();
    expect(
      (await watcher.client.nextEvent('pusher_internal:member_removed', 'presence-room')).parsed,
    ).toEqual({ user_id: 'u' });
    await watcher.client.sync();
    expect(watcher.client.all((m) => m.event === 'pusher_internal:member_added')).toHaveLength(1);
    expect(watcher.client.all((m) => m.event === 'pusher_internal:member_removed')).toHaveLength(1);
  });

  it('/channels and /channels/:name count subscriptions and users on every node, from any node', async () => {
    const [a, b] = await startNodes(2);
    await joinPresence(a!.pool, 'presence-room', 'u1');
    await joinPresence(b!.pool, 'presence-room', 'u1');
    await joinPresence(b!.pool, 'presence-room', 'u2');
    await (await a!.pool.connect()).client.subscribe('news');
    await (await b!.pool.connect()).client.subscribe('news');
    for (const { pusher } of [a!, b!]) {
      const channels = await pusher.get({
        path: '/channels',
        params: { info: 'user_count', filter_by_prefix: 'presence-' },
      });
      expect(await channels.json()).toEqual({ channels: { 'presence-room': { user_count: 2 } } });
      const news = await pusher.get({ path: '/channels/news', params: { info: 'subscription_count' } });
      expect(await news.json()).toEqual({ occupied: true, subscription_count: 2 });
    }
  });

  it("terminate_connections on A closes the user's connections on B with 4009; sendToUser reaches B", async () => {
    const [a, b] = await startNodes(2);
    const { client, socketId } = await b!.pool.connect();
    const userData = JSON.stringify({ id: 'carol' });
    client.send({
      event: 'pusher:signin',
      data: { auth: userAuth('app-key', 'app-secret', socketId, userData), user_data: userData },
    });
    await client.nextEvent('pusher:signin_success');
    await a!.pusher.sendToUser('carol', 'note', { hi: 1 });
    expect((await client.nextEvent('note')).parsed).toEqual({ hi: 1 });
    await a!.pusher.terminateUserConnections('carol');
    expect((await client.closed).code).toBe(4009);
  });

  it('cache channels answer a new subscriber on B with the event cached through A', async () => {
    const [a, b] = await startNodes(2);
    await a!.pusher.trigger('cache-scores', 'score', { home: 2 });
    const { client } = await b!.pool.connect();
    await client.subscribe('cache-scores');
    expect((await client.nextEvent('score', 'cache-scores')).parsed).toEqual({ home: 2 });
  });
});

describe('turning the Redis adapter on', () => {
  it('--redis-url / TETHER_REDIS_URL and --redis-prefix / TETHER_REDIS_PREFIX configure the Redis adapter; without them the memory adapter stays the default', async () => {
    expect(
      parseCliOptions(['--redis-url', 'redis://flag:6379'], { TETHER_REDIS_URL: 'redis://env:6379' }),
    ).toMatchObject({ ok: true, options: { redisUrl: 'redis://flag:6379' } });
    expect(parseCliOptions([], { TETHER_REDIS_URL: 'redis://env:6379' })).toMatchObject({
      ok: true,
      options: { redisUrl: 'redis://env:6379' },
    });
    expect(parseCliOptions(['--redis-prefix', 'blue'], { TETHER_REDIS_PREFIX: 'green' })).toMatchObject({
      ok: true,
      options: { redisKeyPrefix: 'blue' },
    });
    const plain = parseCliOptions([], {});
    expect(plain.ok && plain.options.redisUrl).toBe(undefined);
    const memory = createTetherServer();
    expect(memory.adapter).not.toBeInstanceOf(RedisAdapter);
    await memory.close();
    prefix = uniqueRedisPrefix();
    const clustered = createTetherServer({ redisUrl: TEST_REDIS_URL, redisKeyPrefix: prefix });
    expect(clustered.adapter).toBeInstanceOf(RedisAdapter);
    expect((clustered.adapter as RedisAdapter).keys.prefix).toBe(prefix);
    await (clustered.adapter as RedisAdapter).whenReady();
    expect((clustered.adapter as RedisAdapter).online).toBe(true);
    await clustered.close();
  });
});
