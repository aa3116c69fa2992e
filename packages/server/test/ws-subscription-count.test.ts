import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisAdapter } from '../src/adapters/redis-adapter.js';
import type { TetherServerEvents } from '../src/server-events.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  fastLiveness,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from './support/redis-test-support.js';
import { startServer, type TestServer } from './support/test-server.js';
import { ClientPool, presenceAuth, type WsTestClient } from './support/ws-test-client.js';

// Pusher's opt-in subscription counting (`subscriptionCountEvents`): every subscriber of a
// non-presence channel hears `pusher_internal:subscription_count` when the count changes.

const COUNT_EVENT = 'pusher_internal:subscription_count';
const countingApp = { id: 'app-id', key: 'app-key', secret: 'app-secret', subscriptionCountEvents: true };

let redis: Redis | undefined;
let prefix: string | undefined;
let servers: TestServer[] = [];
let pools: ClientPool[] = [];

beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis?.quit();
});
afterEach(async () => {
  for (const pool of pools) pool.closeAll();
  for (const server of servers) await server.close();
  if (prefix !== undefined) await deleteKeysUnder(redis!, prefix);
  servers = [];
  pools = [];
  prefix = undefined;
});

async function start(
  subscriptionCountEvents: boolean,
  adapter?: RedisAdapter,
): Promise<{ server: TestServer; pool: ClientPool }> {
  const server = await startServer({
    apps: [{ ...countingApp, subscriptionCountEvents }],
    ...(adapter !== undefined ? { adapter } : {}),
  });
  if (adapter !== undefined) await adapter.whenReady();
  const pool = new ClientPool(server.wsUrl);
  servers.push(server);
  pools.push(pool);
  return { server, pool };
}

/** The counts a client has been told for `channel`, in order. */
const countsSeen = (client: WsTestClient, channel: string): unknown[] =>
  client
    .all((m) => m.event === COUNT_EVENT && m.channel === channel)
    .map((m) => (m.parsed as { subscription_count: unknown }).subscription_count);

const nextCount = async (client: WsTestClient, channel: string): Promise<number> =>
  ((await client.nextEvent(COUNT_EVENT, channel)).parsed as { subscription_count: number })
    .subscription_count;

describe('subscriptionCountEvents on', () => {
  it('each join and leave sends the new count to every remaining subscriber, after subscription_succeeded', async () => {
    const { server, pool } = await start(true);
    const reported: TetherServerEvents['subscription_count'][] = [];
    server.tether.on('subscription_count', (context) => reported.push(context));
    const a = (await pool.connect()).client;
    expect((await a.subscribe('news')).event).toBe('pusher_internal:subscription_succeeded');
    expect(await nextCount(a, 'news')).toBe(1);

    const b = (await pool.connect()).client;
    await b.subscribe('news');
    expect(await nextCount(b, 'news')).toBe(2);
    expect(await nextCount(a, 'news')).toBe(2);

    b.send({ event: 'pusher:unsubscribe', data: { channel: 'news' } });
    expect(await nextCount(a, 'news')).toBe(1);
    await b.sync();
    expect(countsSeen(b, 'news')).toEqual([2]);

    // A connection that vanishes counts as leaving.
    const c = (await pool.connect()).client;
    await c.subscribe('news');
    expect(await nextCount(a, 'news')).toBe(2);
    c.close();
    expect(await nextCount(a, 'news')).toBe(1);
    expect(countsSeen(a, 'news')).toEqual([1, 2, 1, 2, 1]);
    expect(reported.map((r) => [r.channel, r.subscriptionCount])).toEqual([
      ['news', 1],
      ['news', 2],
      ['news', 1],
      ['news', 2],
      ['news', 1],
    ]);
  });

  it('subscribing twice to the same channel changes nothing; other channels keep their own counts', async () => {
    const { pool } = await start(true);
    const a = (await pool.connect()).client;
    await a.subscribe('news');
    await a.subscribe('sport');
    await a.subscribe('news');
    await a.sync();
    expect(countsSeen(a, 'news')).toEqual([1]);
    expect(countsSeen(a, 'sport')).toEqual([1]);
  });

  it('presence channels get no subscription_count (they have members)', async () => {
    const { server, pool } = await start(true);
    const reported: unknown[] = [];
    server.tether.on('subscription_count', (context) => reported.push(context));
    const { client, socketId } = await pool.connect();
    const channelData = JSON.stringify({ user_id: 'ada' });
    const auth = presenceAuth('app-key', 'app-secret', socketId, 'presence-room', channelData);
    expect((await client.subscribe('presence-room', { auth, channel_data: channelData })).event).toBe(
      'pusher_internal:subscription_succeeded',
    );
    await client.sync();
    expect(client.all((m) => m.event === COUNT_EVENT)).toEqual([]);
    expect(reported).toEqual([]);
  });
});

describe('subscriptionCountEvents off (the default)', () => {
  it('sends no subscription_count frames and emits no subscription_count events', async () => {
    const { server, pool } = await start(false);
    expect(server.tether.apps.findByKey('app-key')?.subscriptionCountEvents).toBe(false);
    const reported: unknown[] = [];
    server.tether.on('subscription_count', (context) => reported.push(context));
    const a = (await pool.connect()).client;
    const b = (await pool.connect()).client;
    await a.subscribe('news');
    await b.subscribe('news');
    await a.sync();
    await b.sync();
    expect([...a.all((m) => m.event === COUNT_EVENT), ...b.all((m) => m.event === COUNT_EVENT)]).toEqual([]);
    expect(reported).toEqual([]);
  });
});

describe('subscriptionCountEvents over Redis', () => {
  it('counts are cluster-wide: a subscriber on node A hears joins and leaves on node B', async () => {
    prefix = uniqueRedisPrefix();
    const nodeA = await start(
      true,
      new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix: prefix, ...fastLiveness }),
    );
    const nodeB = await start(
      true,
      new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix: prefix, ...fastLiveness }),
    );
    const a = (await nodeA.pool.connect()).client;
    await a.subscribe('news');
    expect(await nextCount(a, 'news')).toBe(1);
    const b = (await nodeB.pool.connect()).client;
    await b.subscribe('news');
    expect(await nextCount(b, 'news')).toBe(2);
    expect(await nextCount(a, 'news')).toBe(2);
    b.send({ event: 'pusher:unsubscribe', data: { channel: 'news' } });
    expect(await nextCount(a, 'news')).toBe(1);
    expect(countsSeen(a, 'news')).toEqual([1, 2, 1]);
  });
});
