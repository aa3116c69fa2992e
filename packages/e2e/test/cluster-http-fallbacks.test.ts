import type { ChannelEventContext, SubscriptionSucceededContext, Tether } from '@tether/client';
import { TRANSPORT_NAMES, type TransportName } from '@tether/protocol';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RoundRobinBalancer } from '../src/cluster-balancer.js';
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
  PUSHER_JS_TRANSPORTS,
  PusherJsClients,
  waitForState,
  type PusherJsTransport,
} from '../src/pusher-js-clients.js';
import { connected, nextContext, TetherClients } from '../src/tether-clients.js';

/**
 * No sticky sessions: two real `tether-server` processes over Redis behind a balancer that sends every
 * HTTP request and every upgrade to the next node in turn. Each request of an HTTP fallback session
 * that lands on the node not holding it is forwarded over Redis. Every transport of stock pusher-js
 * and of @tether/client connects, joins presence, sends a client event and receives an API event.
 */

let redis: Redis;
let cluster: ClusterNodes;
let auth: Awaited<ReturnType<typeof startAuthBackend>>;
let balancer: RoundRobinBalancer;
let a: ClusterNode;
let b: ClusterNode;
const pusherClients = new PusherJsClients();
const tetherClients = new TetherClients();

beforeAll(async () => {
  redis = await connectClusterRedis();
  auth = await startAuthBackend();
  cluster = new ClusterNodes(uniqueClusterPrefix());
  [a, b] = (await cluster.start(2)) as [ClusterNode, ClusterNode];
  balancer = await RoundRobinBalancer.start([a.port, b.port]);
});

afterAll(async () => {
  await balancer.close();
  await cluster.stopAll();
  await deleteClusterKeys(redis, cluster.prefix);
  await auth.close();
  await redis.quit();
});

afterEach(() => {
  pusherClients.disconnectAll();
  tetherClients.disconnectAll();
});

/** A watcher on node A directly (WebSocket), in the presence channel the client under test joins. */
async function watcher(channelName: string) {
  const pusher = pusherClients.create({
    port: a.port,
    authEndpoint: auth.endpoint,
    params: { user_id: 'watcher' },
  });
  await waitForState(pusher, 'connected');
  const channel = pusher.subscribe(channelName);
  await nextEvent(channel, 'pusher:subscription_succeeded');
  return channel;
}

/** Both nodes served requests since `from` (the balancer really spread the session). */
function spreadSince(from: number): void {
  const ports = new Set(balancer.routed.slice(from));
  expect(ports).toEqual(new Set([a.port, b.port]));
}

describe.each(PUSHER_JS_TRANSPORTS)(
  'stock pusher-js over %s through a no-affinity balancer',
  (transport: PusherJsTransport) => {
    it('connects, joins presence, sends a client event and receives API events across the two nodes', async () => {
      const name = `presence-pjs-${transport}`;
      const room = await watcher(name);
      const from = balancer.routed.length;
      const joined = nextEvent<{ id: string }>(room, 'pusher:member_added');
      const pusher = pusherClients.create({
        port: balancer.port,
        transport,
        authEndpoint: auth.endpoint,
        params: { user_id: `pjs-${transport}` },
      });
      await waitForState(pusher, 'connected');
      const channel = pusher.subscribe(name);
      await nextEvent(channel, 'pusher:subscription_succeeded');
      expect((await joined).data.id).toBe(`pjs-${transport}`);

      const typed = nextEvent<{ typing: boolean }>(room, 'client-typing');
      channel.trigger('client-typing', { typing: true });
      expect((await typed).data).toEqual({ typing: true });
      for (const [index, node] of [a, b].entries()) {
        const got = nextEvent<{ n: number }>(channel, 'headline');
        await node.sdk.trigger(name, 'headline', { n: index });
        expect((await got).data).toEqual({ n: index });
      }
      if (transport !== 'ws') spreadSince(from);
      if (transport !== 'ws') return;
      // An HTTP session whose client just stops is collected after sessionGcMs (10 s); a WebSocket leaves at once.
      const left = nextEvent<{ id: string }>(room, 'pusher:member_removed');
      pusher.disconnect();
      expect((await left).data.id).toBe(`pjs-${transport}`);
    });
  },
);

describe.each(TRANSPORT_NAMES)(
  '@tether/client over %s through a no-affinity balancer',
  (transport: TransportName) => {
    it('connects, joins presence, sends a client event and receives API events across the two nodes', async () => {
      const name = `presence-tc-${transport}`;
      const room = await watcher(name);
      const from = balancer.routed.length;
      const joined = nextEvent<{ id: string }>(room, 'pusher:member_added');
      const tether: Tether = tetherClients.create(balancer.port, {
        enabledTransports: [transport],
        channelAuthorization: { endpoint: auth.endpoint, params: { user_id: `tc-${transport}` } },
      });
      await connected(tether);
      expect(tether.connection.transport).toBe(transport);
      await nextContext<SubscriptionSucceededContext>((l) =>
        tether.subscribe(name).bind('pusher:subscription_succeeded', l),
      );
      expect((await joined).data.id).toBe(`tc-${transport}`);

      const typed = nextEvent<{ typing: boolean }>(room, 'client-typing');
      expect(tether.channel(name)!.trigger('client-typing', { typing: true })).toBe(true);
      expect((await typed).data).toEqual({ typing: true });
      for (const [index, node] of [a, b].entries()) {
        const got = nextContext<ChannelEventContext>((l) => tether.channel(name)!.bind('headline', l));
        await node.sdk.trigger(name, 'headline', { n: index });
        expect((await got).data).toEqual({ n: index });
      }
      if (transport !== 'websocket') spreadSince(from);
    });
  },
);
