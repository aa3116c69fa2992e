import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import PusherSdk from 'pusher';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RoundRobinBalancer } from '../src/cluster-balancer.js';
import {
  clusterApp,
  ClusterNodes,
  connectClusterRedis,
  deleteClusterKeys,
  startAuthBackend,
  uniqueClusterPrefix,
  type ClusterNode,
} from '../src/cluster-nodes.js';
import {
  nextEvent,
  PusherJsClients,
  recordEvents,
  recordStates,
  waitForState,
} from '../src/pusher-js-clients.js';
import { WebhookReceiver, type ReceivedWebhookEvent } from '../src/webhook-receiver.js';

/**
 * Nodes dying and draining, as real processes: SIGKILL (no goodbye; the others reap its presence after
 * the node timeout) and SIGTERM (4200 to every client, who reconnect to another node through the balancer).
 */

/** RedisAdapter defaults the CLI runs with: heartbeat every 1 s, dead after 5 s of silence. */
const NODE_TIMEOUT_MS = 5_000;
const HEARTBEAT_MS = 1_000;
/** member_removed must arrive within the timeout plus one reaper round, plus scheduling slack on a busy machine. */
const REAP_BOUND_MS = NODE_TIMEOUT_MS + 2 * HEARTBEAT_MS + 1_000;
/** Webhook leave delay the CLI runs with (webhookDefaults.leaveDelayMs, spec §6.5: Pusher's ~3 s). */
const LEAVE_DELAY_MS = 3_000;
const WEBHOOK_EVENTS = ['channel_occupied', 'channel_vacated', 'member_added', 'member_removed'];

let redis: Redis;
let cluster: ClusterNodes;
let auth: Awaited<ReturnType<typeof startAuthBackend>>;
let watcherNode: ClusterNode;
let nodes: ClusterNode[];
let receiver: WebhookReceiver;
let configDir: string;
const clients = new PusherJsClients();

beforeAll(async () => {
  redis = await connectClusterRedis();
  auth = await startAuthBackend();
  // Every node sends the app's webhooks to one receiver, as a deployment configures it.
  receiver = await WebhookReceiver.start();
  configDir = mkdtempSync(join(tmpdir(), 'tether-cluster-faults-'));
  const config = join(configDir, 'tether.json');
  writeFileSync(
    config,
    JSON.stringify({ apps: [{ ...clusterApp, webhooks: [{ url: receiver.url, events: WEBHOOK_EVENTS }] }] }),
  );
  cluster = new ClusterNodes(uniqueClusterPrefix());
  const started = await cluster.start(4, ['--config', config]);
  watcherNode = started[0]!;
  nodes = started.slice(1);
});

afterAll(async () => {
  await cluster.stopAll();
  await deleteClusterKeys(redis, cluster.prefix);
  await auth.close();
  await receiver.close();
  rmSync(configDir, { recursive: true, force: true });
  await redis.quit();
});

afterEach(() => clients.disconnectAll());

type Pusher = ReturnType<PusherJsClients['create']>;

async function member(
  port: number,
  userId: string,
  channelName: string,
): Promise<{ pusher: Pusher; channel: ReturnType<Pusher['subscribe']> }> {
  const pusher = clients.create({ port, authEndpoint: auth.endpoint, params: { user_id: userId } });
  await waitForState(pusher, 'connected');
  const channel = pusher.subscribe(channelName);
  await nextEvent(channel, 'pusher:subscription_succeeded');
  return { pusher, channel };
}

const about = (events: ReceivedWebhookEvent[], name: string, channel: string): ReceivedWebhookEvent[] =>
  events.filter((event) => event.name === name && event.channel === channel);

/**
 * Resolves once every node has sent a webhook queued after this call: a public channel joined and left
 * on each, whose channel_vacated goes out after the leave delay, behind anything the node held before.
 */
async function webhookFence(fenceNodes: readonly ClusterNode[]): Promise<void> {
  const channels = await Promise.all(
    fenceNodes.map(async (node) => {
      const pusher = clients.create({ port: node.port });
      await waitForState(pusher, 'connected');
      const name = `fence-${node.port}`;
      await nextEvent(pusher.subscribe(name), 'pusher:subscription_succeeded');
      pusher.unsubscribe(name);
      return name;
    }),
  );
  await receiver.until(
    (events) => channels.every((name) => about(events, 'channel_vacated', name).length > 0),
    LEAVE_DELAY_MS + 5_000,
  );
}

const userIds = async (node: ClusterNode, channel: string): Promise<string[]> => {
  const response = await node.sdk.get({ path: `/channels/${channel}/users` });
  return ((await response.json()) as { users: { id: string }[] }).users.map((user) => user.id).sort();
};

describe('node faults', () => {
  it("SIGKILL: the dead node's presence is removed cluster-wide with member_removed within the node timeout; one survivor sends the webhooks", async () => {
    const doomedNode = nodes.pop()!;
    const { channel: room } = await member(watcherNode.port, 'watcher', 'presence-kill');
    const joined = nextEvent<{ id: string }>(room, 'pusher:member_added');
    // Two connections of one user on the node that dies: one member_removed for both.
    const { pusher: doomedClient } = await member(doomedNode.port, 'doomed', 'presence-kill');
    await member(doomedNode.port, 'doomed', 'presence-kill');
    // A channel only the dying node's client is in: it is vacated by the reap.
    await nextEvent(doomedClient.subscribe('kill-solo'), 'pusher:subscription_succeeded');
    expect((await joined).data.id).toBe('doomed');
    expect(await userIds(watcherNode, 'presence-kill')).toEqual(['doomed', 'watcher']);
    const removed = recordEvents<{ id: string }>(room, 'pusher:member_removed');

    const gone = nextEvent<{ id: string }>(room, 'pusher:member_removed', REAP_BOUND_MS);
    const killedAt = Date.now();
    doomedNode.child.kill('SIGKILL');
    expect((await gone).data.id).toBe('doomed');
    const reapedAt = Date.now();
    expect(reapedAt - killedAt).toBeLessThan(REAP_BOUND_MS);
    expect(removed.map((m) => m.id)).toEqual(['doomed']);
    expect(await userIds(watcherNode, 'presence-kill')).toEqual(['watcher']);
    const info = await watcherNode.sdk.get({
      path: '/channels/presence-kill',
      params: { info: 'user_count' },
    });
    expect(await info.json()).toEqual({ occupied: true, user_count: 1 });
    expect(await redis.zcard(`${cluster.prefix}:nodes`)).toBe(3);

    // The reaper sends the leave webhooks an ordinary leave would, after the same delay; exactly once.
    const webhooksBy = killedAt + REAP_BOUND_MS + LEAVE_DELAY_MS + 2_000 - Date.now();
    await receiver.until(
      (events) =>
        about(events, 'channel_vacated', 'kill-solo').length > 0 &&
        about(events, 'member_removed', 'presence-kill').length > 0,
      webhooksBy,
    );
    await webhookFence([watcherNode, ...nodes]);
    const events = receiver.events();
    expect(about(events, 'member_removed', 'presence-kill')).toEqual([
      { name: 'member_removed', channel: 'presence-kill', user_id: 'doomed' },
    ]);
    expect(about(events, 'channel_vacated', 'kill-solo')).toEqual([
      { name: 'channel_vacated', channel: 'kill-solo' },
    ]);
    expect(about(events, 'channel_vacated', 'presence-kill')).toEqual([]);
    // Held for the leave delay from the reap (which published the member_removed the watcher got), as any leave is.
    const leavePosts = receiver.received.filter((post) =>
      post.events.some(
        (event) =>
          (event.name === 'member_removed' && event.user_id === 'doomed') ||
          (event.name === 'channel_vacated' && event.channel === 'kill-solo'),
      ),
    );
    expect(leavePosts.length).toBeGreaterThan(0);
    for (const post of leavePosts)
      expect(post.receivedAt - reapedAt).toBeGreaterThanOrEqual(LEAVE_DELAY_MS - 100);
    const sdk = new PusherSdk({
      appId: clusterApp.id,
      key: clusterApp.key,
      secret: clusterApp.secret,
      cluster: 'x',
    });
    for (const post of receiver.received)
      expect(sdk.webhook({ headers: post.headers, rawBody: post.rawBody }).isValid()).toBe(true);
  });

  it('SIGTERM: a draining node sends 4200; its client reconnects to another node with at most one leave and one join seen by others', async () => {
    const [x, y] = nodes as [ClusterNode, ClusterNode];
    const balancer = await RoundRobinBalancer.start([x.port, y.port]);
    try {
      const { channel: room } = await member(watcherNode.port, 'watcher', 'presence-drain');
      const added = recordEvents<{ id: string }>(room, 'pusher:member_added');
      const removed = recordEvents<{ id: string }>(room, 'pusher:member_removed');
      const { pusher: mover, channel } = await member(balancer.port, 'mover', 'presence-drain');
      const drained = balancer.routed.at(-1) === x.port ? x : y;
      const states = recordStates(mover);
      const error = nextEvent<{ data: { code: number } }>(mover.connection, 'error');
      const resubscribed = nextEvent(channel, 'pusher:subscription_succeeded');

      // As an orchestrator does: out of rotation first, then SIGTERM.
      balancer.remove(drained.port);
      drained.child.kill('SIGTERM');
      expect((await error).data).toMatchObject({ data: { code: 4200 } });
      await resubscribed;
      expect(mover.connection.state).toBe('connected');
      expect(states.map((change) => change.state)).toEqual(['connecting', 'connected']);
      expect(await drained.exited).toBe(0);

      // Everything the drained node published has reached the watcher once this later event has.
      const marker = nextEvent(room, 'marker');
      await watcherNode.sdk.trigger('presence-drain', 'marker', {});
      await marker;
      expect(removed.length).toBe(added.length - 1);
      expect(removed.length).toBeLessThanOrEqual(1);
      expect(added.map((m) => m.id)).toEqual(['mover', ...removed.map(() => 'mover')]);
      expect(await userIds(watcherNode, 'presence-drain')).toEqual(['mover', 'watcher']);
      const got = nextEvent(channel, 'after-drain');
      await watcherNode.sdk.trigger('presence-drain', 'after-drain', {});
      await got;
    } finally {
      await balancer.close();
    }
  });
});
