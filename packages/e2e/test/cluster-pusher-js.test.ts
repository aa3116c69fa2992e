import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterNodes,
  connectClusterRedis,
  deleteClusterKeys,
  startAuthBackend,
  uniqueClusterPrefix,
  type ClusterNode,
} from '../src/cluster-nodes.js';
import {
  nextEvent,
  nextMessage,
  PusherJsClients,
  recordEvents,
  waitForState,
} from '../src/pusher-js-clients.js';

/**
 * Three real `tether-server` processes sharing one Redis (`--redis-url`), driven with stock pusher-js
 * over WebSocket and the official `pusher` SDK: the cluster behaves as one server.
 */

let redis: Redis;
let cluster: ClusterNodes;
let auth: Awaited<ReturnType<typeof startAuthBackend>>;
let a: ClusterNode;
let b: ClusterNode;
let c: ClusterNode;
const clients = new PusherJsClients();

beforeAll(async () => {
  redis = await connectClusterRedis();
  auth = await startAuthBackend();
  cluster = new ClusterNodes(uniqueClusterPrefix());
  [a, b, c] = (await cluster.start(3)) as [ClusterNode, ClusterNode, ClusterNode];
});

afterAll(async () => {
  await cluster.stopAll();
  // Cache entries outlive the nodes on purpose (they expire by TTL).
  const left = (await redis.keys(`${cluster.prefix}:*`)).filter((key) => !key.includes(':cache:'));
  await deleteClusterKeys(redis, cluster.prefix);
  await auth.close();
  await redis.quit();
  // Every node withdrew on SIGTERM: no node, subscription or member of the cluster is left in Redis.
  expect(left).toEqual([]);
});

afterEach(() => clients.disconnectAll());

type Pusher = ReturnType<PusherJsClients['create']>;

async function connect(node: ClusterNode, userId = 'anonymous'): Promise<Pusher> {
  const pusher = clients.create({
    port: node.port,
    authEndpoint: auth.endpoint,
    userAuthEndpoint: auth.userEndpoint,
    params: { user_id: userId },
  });
  await waitForState(pusher, 'connected');
  return pusher;
}

async function subscribed(pusher: Pusher, name: string): Promise<ReturnType<Pusher['subscribe']>> {
  const channel = pusher.subscribe(name);
  await nextEvent(channel, 'pusher:subscription_succeeded');
  return channel;
}

describe('three tether-server processes over Redis, with stock pusher-js and the pusher SDK', () => {
  it('an event triggered on node A reaches subscribers on B and C exactly once; socket_id excludes a connection on another node', async () => {
    const onB = await connect(b);
    const onC = await connect(c);
    const excluded = await connect(c);
    const gotB = recordEvents(await subscribed(onB, 'news-1'), 'headline');
    const gotC = recordEvents(await subscribed(onC, 'news-1'), 'headline');
    const gotExcluded = recordEvents(await subscribed(excluded, 'news-1'), 'headline');
    const firstB = nextEvent(onB.channel('news-1'), 'headline');
    const firstC = nextEvent(onC.channel('news-1'), 'headline');
    const response = await a.sdk.trigger(
      'news-1',
      'headline',
      { n: 1 },
      { socket_id: excluded.connection.socket_id },
    );
    expect(response.status).toBe(200);
    // Nodes promise no order between publishes made on different nodes: B may deliver its own next
    // publish before A's arrives over Redis. So wait for the first, then send a second through B:
    // once that is everywhere, any duplicate of the first (or a leak to the excluded socket) would be too.
    await Promise.all([firstB, firstC]);
    const lastB = nextEvent(onB.channel('news-1'), 'last');
    const lastC = nextEvent(onC.channel('news-1'), 'last');
    const lastExcluded = nextEvent(excluded.channel('news-1'), 'last');
    await b.sdk.trigger('news-1', 'last', {});
    await Promise.all([lastB, lastC, lastExcluded]);
    expect(gotB).toEqual([{ n: 1 }]);
    expect(gotC).toEqual([{ n: 1 }]);
    expect(gotExcluded).toEqual([]);
  });

  it('presence is one member list: member_added and member_removed only for a first and last connection across nodes; counts from any node', async () => {
    const watcher = await connect(a, 'watcher');
    const room = await subscribed(watcher, 'presence-room-2');
    const added = recordEvents<{ id: string }>(room, 'pusher:member_added');
    const removed = recordEvents<{ id: string }>(room, 'pusher:member_removed');
    const first = await connect(b, 'u');
    await subscribed(first, 'presence-room-2');
    const second = await connect(c, 'u');
    const secondRoom = second.subscribe('presence-room-2');
    const snapshot = await nextEvent<{ count: number }>(secondRoom, 'pusher:subscription_succeeded');
    expect(snapshot.data.count).toBe(2);
    for (const node of [a, b, c]) {
      const users = await node.sdk.get({ path: '/channels/presence-room-2/users' });
      expect(
        ((await users.json()) as { users: { id: string }[] }).users.map((user) => user.id).sort(),
      ).toEqual(['u', 'watcher']);
      const channels = await node.sdk.get({
        path: '/channels',
        params: { filter_by_prefix: 'presence-room-2', info: 'user_count' },
      });
      expect(await channels.json()).toEqual({ channels: { 'presence-room-2': { user_count: 2 } } });
      const info = await node.sdk.get({ path: '/channels/presence-room-2', params: { info: 'user_count' } });
      expect(await info.json()).toEqual({ occupied: true, user_count: 2 });
    }
    first.disconnect();
    const gone = nextEvent<{ id: string }>(room, 'pusher:member_removed');
    second.disconnect();
    expect((await gone).data).toMatchObject({ id: 'u' });
    expect(added.map((member) => member.id)).toEqual(['u']);
    expect(removed.map((member) => member.id)).toEqual(['u']);
  });

  it('client events on a presence channel travel between nodes with the sender user_id', async () => {
    const sender = await connect(b, 'sam');
    const receiver = await connect(c, 'rita');
    const sent = await subscribed(sender, 'presence-chat-3');
    const got = nextEvent<{ typing: boolean }>(
      await subscribed(receiver, 'presence-chat-3'),
      'client-typing',
    );
    sent.trigger('client-typing', { typing: true });
    const event = await got;
    expect(event.data).toEqual({ typing: true });
    expect(event.metadata?.user_id).toBe('sam');
  });

  it('sendToUser and terminateUserConnections through node A reach the user on node C (4009, stays disconnected)', async () => {
    const alice = await connect(c, 'alice');
    const signedIn = nextMessage(
      alice,
      (m) => m.event === 'pusher_internal:subscription_succeeded' && m.channel === '#server-to-user-alice',
    );
    alice.signin();
    await signedIn;
    const notice = nextEvent(alice.user, 'notice');
    await a.sdk.sendToUser('alice', 'notice', { text: 'hi' });
    expect((await notice).data).toEqual({ text: 'hi' });
    const error = nextEvent<{ data: { code: number } }>(alice.connection, 'error');
    expect((await a.sdk.terminateUserConnections('alice')).status).toBe(200);
    await waitForState(alice, 'disconnected');
    expect((await error).data).toMatchObject({ data: { code: 4009 } });
  });

  it('a cache channel subscriber on C gets the event last triggered through A', async () => {
    await a.sdk.trigger('cache-score-5', 'score', { home: 3 });
    const fan = await connect(c);
    const channel = fan.subscribe('cache-score-5');
    expect((await nextEvent(channel, 'score')).data).toEqual({ home: 3 });
  });
});
