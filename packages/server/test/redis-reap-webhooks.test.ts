import type { Redis } from 'ioredis';
import Pusher from 'pusher';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterMessage, ClusterChange } from '../src/adapters/adapter.js';
import { RedisAdapter } from '../src/adapters/redis-adapter.js';
import type { TetherServerEvents } from '../src/server-events.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  eventually,
  fastLiveness,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from './support/redis-test-support.js';
import { TcpCutProxy } from './support/tcp-cut-proxy.js';
import { startServer, type TestServer } from './support/test-server.js';
import { WebhookReceiver, type ReceivedWebhookEvent } from './support/webhook-receiver.js';
import { ClientPool, presenceAuth, type WsTestClient } from './support/ws-test-client.js';

// A node that dies without a goodbye is reaped by one survivor; that survivor, and only it, raises the
// server events (and so sends the webhooks) an ordinary leave would have: member_removed, channel_vacated.

const WEBHOOK_EVENTS = ['channel_occupied', 'channel_vacated', 'member_added', 'member_removed'];
/** Short in tests; the delay logic is the same as with the default 3 s (the e2e cluster test runs that). */
const LEAVE_DELAY_MS = 300;

let redis: Redis;
let prefix: string;
let receiver: WebhookReceiver | undefined;
let proxy: TcpCutProxy | undefined;
const servers: TestServer[] = [];
const pools: ClientPool[] = [];
const adapters: RedisAdapter[] = [];

beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  for (const pool of pools.splice(0)) pool.closeAll();
  for (const server of servers.splice(0)) await server.close();
  for (const adapter of adapters.splice(0)) await adapter.close();
  await receiver?.close();
  receiver = undefined;
  proxy?.restore();
  await proxy?.close();
  proxy = undefined;
  await deleteKeysUnder(redis, prefix);
});

interface Node {
  server: TestServer;
  adapter: RedisAdapter;
  pool: ClientPool;
  /** Server events raised by this node, in order. */
  raised: { event: string; context: { channel: string; userId?: string } }[];
}

const app = (
  url: string,
): { id: string; key: string; secret: string; webhooks: { url: string; events: string[] }[] } => ({
  id: 'app-id',
  key: 'app-key',
  secret: 'app-secret',
  webhooks: [{ url, events: WEBHOOK_EVENTS }],
});

async function startNodes(count: number, leaveDelayMs = LEAVE_DELAY_MS): Promise<Node[]> {
  prefix = uniqueRedisPrefix();
  receiver = await WebhookReceiver.start();
  const nodes: Node[] = [];
  for (let index = 0; index < count; index += 1) {
    const adapter = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix: prefix, ...fastLiveness });
    const server = await startServer({
      adapter,
      apps: [app(receiver.url)],
      webhooks: { batchWindowMs: 0, leaveDelayMs },
    });
    await adapter.whenReady();
    const pool = new ClientPool(server.wsUrl);
    servers.push(server);
    pools.push(pool);
    const raised: Node['raised'] = [];
    for (const event of ['channel_vacated', 'member_removed', 'channel_occupied', 'member_added'] as const) {
      server.tether.on(event, (context: TetherServerEvents[typeof event]) => raised.push({ event, context }));
    }
    nodes.push({ server, adapter, pool, raised });
  }
  return nodes;
}

async function joinPresence(pool: ClientPool, channel: string, userId: string): Promise<WsTestClient> {
  const { client, socketId } = await pool.connect();
  const channelData = JSON.stringify({ user_id: userId });
  const ack = await client.subscribe(channel, {
    auth: presenceAuth('app-key', 'app-secret', socketId, channel, channelData),
    channel_data: channelData,
  });
  expect(ack.event).toBe('pusher_internal:subscription_succeeded');
  return client;
}

const about = (events: ReceivedWebhookEvent[], name: string, channel: string): ReceivedWebhookEvent[] =>
  events.filter((event) => event.name === name && event.channel === channel);

/** Closing a node sends every webhook it still holds (pending leaves included): nothing can come later. */
async function closeSurvivors(nodes: readonly Node[]): Promise<void> {
  for (const node of nodes) {
    servers.splice(servers.indexOf(node.server), 1);
    await node.server.close();
  }
}

describe("webhooks for a dead node's connections", () => {
  it('one survivor reaps the dead node and sends one member_removed and one channel_vacated, signed as the SDK checks', async () => {
    const [a, b, doomed] = (await startNodes(3)) as [Node, Node, Node];
    const watcher = await joinPresence(a.pool, 'presence-room', 'watcher');
    await joinPresence(b.pool, 'presence-room', 'other');
    // Two connections of the doomed user (one member), one of them also alone in a public channel.
    const doomedClient = await joinPresence(doomed.pool, 'presence-room', 'doomed');
    await joinPresence(doomed.pool, 'presence-room', 'doomed');
    expect((await doomedClient.subscribe('solo')).event).toBe('pusher_internal:subscription_succeeded');
    await receiver!.until(
      (events) =>
        about(events, 'member_added', 'presence-room').length === 3 &&
        about(events, 'channel_occupied', 'solo').length === 1,
    );

    doomed.adapter.abandon();
    expect((await watcher.nextEvent('pusher_internal:member_removed', 'presence-room')).parsed).toEqual({
      user_id: 'doomed',
    });
    await receiver!.until(
      (events) =>
        about(events, 'member_removed', 'presence-room').length === 1 &&
        about(events, 'channel_vacated', 'solo').length === 1,
    );
    await closeSurvivors([a, b]);

    const after = receiver!.events();
    expect(
      about(after, 'member_removed', 'presence-room').filter((event) => event.user_id === 'doomed'),
    ).toEqual([{ name: 'member_removed', channel: 'presence-room', user_id: 'doomed' }]);
    expect(about(after, 'channel_vacated', 'solo')).toEqual([{ name: 'channel_vacated', channel: 'solo' }]);
    // member_removed before channel_vacated, as for an ordinary leave.
    const order = after.map((event) => `${event.name} ${event.channel}`);
    expect(order.indexOf('member_removed presence-room')).toBeLessThan(order.indexOf('channel_vacated solo'));
    // Exactly one survivor raised the server events for the reap.
    const reapEvents = [a, b].map((node) =>
      node.raised.filter(({ context }) => context.userId === 'doomed' || context.channel === 'solo'),
    );
    expect(reapEvents.map((raised) => raised.length).sort()).toEqual([0, 2]);
    expect(reapEvents.flat().map(({ event }) => event)).toEqual(['member_removed', 'channel_vacated']);
    const sdk = new Pusher({ appId: 'app-id', key: 'app-key', secret: 'app-secret', cluster: 'x' });
    for (const post of receiver!.received)
      expect(sdk.webhook({ headers: post.headers, rawBody: post.rawBody }).isValid()).toBe(true);
  });

  it('the leave delay applies on the reaper: a user back on it within the delay gets neither leave nor join webhooks', async () => {
    const [reaper, doomed] = (await startNodes(2, 5_000)) as [Node, Node];
    await joinPresence(doomed.pool, 'presence-back', 'returning');
    await receiver!.until((events) => about(events, 'member_added', 'presence-back').length === 1);

    doomed.adapter.abandon();
    await eventually(
      () =>
        reaper.raised.some(
          ({ event, context }) => event === 'channel_vacated' && context.channel === 'presence-back',
        ),
      5_000,
      'reaped',
    );
    // As a client whose node died does: reconnect (here to the reaper) and subscribe again, within the delay.
    await joinPresence(reaper.pool, 'presence-back', 'returning');
    await closeSurvivors([reaper]);

    // Raised on the reaper: the reap, the join, then the leave of the reaper's own close.
    expect(reaper.raised.map(({ event }) => event)).toEqual([
      'member_removed',
      'channel_vacated',
      'channel_occupied',
      'member_added',
      'member_removed',
      'channel_vacated',
    ]);
    const after = receiver!.events().filter((event) => event.channel === 'presence-back');
    // Only the first join, and the leave when the reaper itself closed (flushed at close).
    expect(after.map((event) => event.name)).toEqual([
      'channel_occupied',
      'member_added',
      'member_removed',
      'channel_vacated',
    ]);
  });
});

describe('cluster changes from a Redis outage', () => {
  const memberFrames = (seen: AdapterMessage[], event: string): string[] =>
    seen.flatMap((message) =>
      message.kind === 'channel' && message.frame.includes(event) ? [message.frame] : [],
    );

  async function cutOffNode(nodeTimeoutMs: number): Promise<{
    a: RedisAdapter;
    b: RedisAdapter;
    changesA: ClusterChange[];
    changesB: ClusterChange[];
    seenB: AdapterMessage[];
  }> {
    prefix = uniqueRedisPrefix();
    proxy = await TcpCutProxy.start(Number(new URL(TEST_REDIS_URL).port || 6379));
    const common = {
      keyPrefix: prefix,
      heartbeatIntervalMs: fastLiveness.heartbeatIntervalMs,
      nodeTimeoutMs,
      reconnectStepMs: 20,
      reconnectMaxMs: 100,
    };
    const a = new RedisAdapter({ ...common, url: `redis://127.0.0.1:${proxy.port}` });
    const b = new RedisAdapter({ ...common, url: TEST_REDIS_URL });
    adapters.push(a, b);
    const changesA: ClusterChange[] = [];
    const changesB: ClusterChange[] = [];
    const seenB: AdapterMessage[] = [];
    await a.init(() => undefined, { nodeId: '1', onClusterChange: (change) => changesA.push(change) });
    await b.init((message) => seenB.push(message), {
      nodeId: '2',
      onClusterChange: (change) => changesB.push(change),
    });
    await a.subscribe('app', 'presence-room', '1.1');
    await a.addMember('app', 'presence-room', '1.1', { user_id: 'stays' });
    await a.subscribe('app', 'presence-room', '1.2');
    await a.addMember('app', 'presence-room', '1.2', { user_id: 'leaves' });
    proxy.cut();
    await eventually(() => !a.online, 5_000, 'A offline');
    // While Redis is away the session reports these from A's own state (so the adapter must not again).
    expect(await a.removeMember('app', 'presence-room', '1.2')).toMatchObject({
      transition: true,
      userId: 'leaves',
    });
    await a.unsubscribe('app', 'presence-room', '1.2');
    await a.subscribe('app', 'during', '1.3');
    await a.addMember('app', 'during', '1.3', { user_id: 'newbie' });
    return { a, b, changesA, changesB, seenB };
  }

  it("a short outage: removals and joins A made meanwhile reach other nodes' clients, but are not reported again as cluster changes", async () => {
    const { b, changesA, changesB, seenB } = await cutOffNode(60_000);
    proxy!.restore();
    await eventually(
      () =>
        memberFrames(seenB, 'member_removed').length === 1 &&
        memberFrames(seenB, 'member_added').length === 1,
      5_000,
      'resync',
    );
    expect(changesA).toEqual([]);
    expect(changesB).toEqual([]);
    expect((await b.members('app', 'presence-room')).map((member) => member.user_id)).toEqual(['stays']);
  });

  it("an outage past the node timeout: the reaper reports A's members and channels gone; A, back, reports back only what Redis had held", async () => {
    const { changesA, changesB } = await cutOffNode(400);
    await eventually(() => changesB.length === 3, 5_000, 'A reaped');
    expect(changesB.slice(0, 2).map((change) => change.kind)).toEqual(['member_removed', 'member_removed']);
    expect(
      changesB
        .slice(0, 2)
        .map((change) => (change.kind === 'member_removed' ? change.userId : ''))
        .sort(),
    ).toEqual(['leaves', 'stays']);
    expect(changesB[2]).toEqual({ kind: 'channel_vacated', appId: 'app', channel: 'presence-room' });
    proxy!.restore();
    await eventually(() => changesA.length === 2, 5_000, 'A back');
    // 'newbie' joined while Redis was away (reported by the session then); 'leaves' left meanwhile.
    expect(changesA).toEqual([
      { kind: 'channel_occupied', appId: 'app', channel: 'presence-room' },
      { kind: 'member_added', appId: 'app', channel: 'presence-room', userId: 'stays' },
    ]);
    expect(changesB).toHaveLength(3);
  });
});
