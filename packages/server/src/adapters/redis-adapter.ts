import { randomInt } from 'node:crypto';
import { encodeFrame, PusherEvent, type PresenceMember } from '@tether/protocol';
import { Redis } from 'ioredis';
import { systemClock, type Clock, type Timer } from '../clock.js';
import type {
  Adapter,
  AdapterDelivery,
  AdapterMessage,
  AdapterNode,
  CachedEvent,
  ClusterChange,
  ChannelCounts,
  PresenceChange,
  SubscriptionChange,
} from './adapter.js';
import { MemoryAdapter } from './memory-adapter.js';
import {
  redisAdapterDefaults,
  type RedisAdapterOptions,
  type RedisAdapterSettings,
} from './redis-adapter-options.js';
import { RedisClusterState, type ReapedMember, type ReapResult } from './redis-cluster-state.js';
import { entryString, presenceEntry, subscriptionEntry } from './redis-entries.js';
import { RedisKeys } from './redis-keys.js';
import { decodeRedisEnvelopes, encodeRedisEnvelope } from './redis-message-codec.js';
import { RedisPublishBatch } from './redis-publish-batch.js';
import { resyncNode, type Registration } from './redis-state-sync.js';

/** Upper bound of a generated node id (same range as socket-id node halves). */
const MAX_NODE_ID = 2 ** 47;

/** Handles a message sent to this node's inbox (HTTP session forwarding). */
export type RedisInboxHandler = (payload: string) => void;

/**
 * Many Tether nodes as one, through one Redis.
 *
 * - Fan-out: the events a node publishes in one turn of its event loop leave as one PUBLISH on
 *   `{prefix}:events` (in order; see `RedisPublishBatch`); the publishing node delivers to its own
 *   sessions at once and every other node delivers the whole batch to its own when it arrives, one write
 *   per socket (socket_id exclusion is applied at delivery, so it works across nodes).
 * - Cluster state (subscriptions, presence, channel index, cache) lives in Redis; first-join/last-leave
 *   transitions come from Lua scripts, so they are atomic across nodes.
 * - Liveness: each node stamps `{prefix}:nodes` every `heartbeatIntervalMs` with Redis time; any node that
 *   finds another silent for `nodeTimeoutMs` undoes that node's registrations, publishes
 *   `member_removed` for every user whose last connection it held, and reports those members and the
 *   channels left empty to its server (`onClusterChange`: webhooks, server events), the only node to do so.
 * - Redis down: every call answers from this node's own state (a MemoryAdapter mirror) and delivery is
 *   local only. ioredis reconnects with backoff; on `ready` the node re-registers what it holds now and
 *   removes what it no longer holds, announcing the presence changes. Lost meanwhile: events between
 *   nodes, other nodes' presence changes for this node's clients, cache writes made elsewhere.
 */
export class RedisAdapter implements Adapter {
  readonly keys: RedisKeys;
  private readonly settings: RedisAdapterSettings;
  private readonly clock: Clock;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly local: MemoryAdapter;
  private readonly batch: RedisPublishBatch;
  /** Entry string → what this node holds, for re-registration after an outage or a reap. */
  private readonly registered = new Map<string, Registration>();
  private nodeIdValue: string;
  private state: RedisClusterState | undefined;
  private delivery: AdapterDelivery | undefined;
  private onClusterChange: ((change: ClusterChange) => void) | undefined;
  private inbox: RedisInboxHandler | undefined;
  private timer: Timer | undefined;
  private outageReported = false;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private closed = false;
  private started: Promise<void> | undefined;
  private readonly resyncListeners: (() => void)[] = [];

  constructor(private readonly options: RedisAdapterOptions = {}) {
    this.settings = { ...redisAdapterDefaults, ...stripUndefined(options) };
    this.clock = options.clock ?? systemClock;
    this.keys = new RedisKeys(this.settings.keyPrefix);
    this.local = new MemoryAdapter(this.clock);
    this.nodeIdValue = options.nodeId ?? String(randomInt(1, MAX_NODE_ID));
    const connection = {
      ...options.redisOptions,
      lazyConnect: true,
      retryStrategy: (attempt: number) =>
        Math.min(attempt * this.settings.reconnectStepMs, this.settings.reconnectMaxMs),
    };
    // Commands fail at once while Redis is unreachable (the adapter falls back to local state) instead of queueing.
    this.redis = new Redis(this.settings.url, {
      ...connection,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    this.subscriber = new Redis(this.settings.url, {
      ...connection,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    this.batch = new RedisPublishBatch({
      send: (payload) =>
        this.redis.publish(this.keys.events, payload).then(
          () => undefined,
          (error: unknown) => this.report(error, 'redis publish'),
        ),
      maxBytes: this.settings.publishBatchMaxBytes,
    });
  }

  get nodeId(): string {
    return this.nodeIdValue;
  }

  /** True while commands reach Redis. */
  get online(): boolean {
    return this.redis.status === 'ready' && !this.closed;
  }

  /** The command connection, for cluster helpers (HTTP session forwarding) that share this adapter's Redis. */
  get connection(): Redis {
    return this.redis;
  }

  init(delivery: AdapterDelivery, node?: AdapterNode): Promise<void> {
    this.started ??= this.start(delivery, node);
    return this.started;
  }

  /** Resolves once `init` has reached Redis (rejects as `init` does); for apps and tests that must not start before. */
  whenReady(): Promise<void> {
    return this.started ?? Promise.reject(new Error('RedisAdapter.init has not been called'));
  }

  private async start(delivery: AdapterDelivery, node: AdapterNode | undefined): Promise<void> {
    this.delivery = delivery;
    if (node !== undefined) this.nodeIdValue = node.nodeId;
    this.onClusterChange = node?.onClusterChange;
    this.state = new RedisClusterState(this.redis, this.keys, this.nodeIdValue);
    this.local.init(delivery);
    this.redis.on('ready', () => {
      this.outageReported = false;
      void this.beat(true);
    });
    for (const connection of [this.redis, this.subscriber]) {
      connection.on('error', (error: unknown) => this.reportOutage(error));
      // A dropped connection need not come with an error event (the peer just closed).
      connection.on('close', () => this.reportOutage(new Error('Redis connection closed')));
    }
    this.subscriber.on('message', (channel: string, raw: string) => this.onMessage(channel, raw));
    this.timer = this.clock.setInterval(() => void this.beat(false), this.settings.heartbeatIntervalMs);
    const ready = Promise.all([
      this.redis.connect(),
      this.subscriber
        .connect()
        .then(() => this.subscriber.subscribe(this.keys.events, this.keys.nodeInbox(this.nodeIdValue))),
    ]);
    await withTimeout(
      ready,
      this.settings.readyTimeoutMs,
      this.clock,
      `Redis at ${redactUrl(this.settings.url)} not ready; serving local clients until it is`,
    );
    // Registered and in sync before init resolves (the 'ready' listener does the same after every reconnect).
    await this.beat(true);
  }

  /** `listener` runs each time this node has (re)registered its state: after connecting, reconnecting or being reaped. */
  onResync(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  /** Messages published to this node's inbox go to `handler` (one handler; HTTP session forwarding). */
  onInbox(handler: RedisInboxHandler): void {
    this.inbox = handler;
  }

  /** Sends a payload to another node's inbox; false when Redis is unreachable or that node is not listening. */
  async sendToNode(nodeId: string, payload: string): Promise<boolean> {
    if (!this.online) return false;
    // Events this node published earlier in this turn reach Redis first, as they would unbatched.
    this.batch.flush();
    try {
      return (await this.redis.publish(this.keys.nodeInbox(nodeId), payload)) > 0;
    } catch (error) {
      this.report(error, 'redis inbox publish');
      return false;
    }
  }

  async publish(message: AdapterMessage): Promise<void> {
    this.delivery?.(message);
    if (!this.online) return;
    await this.batch.add(encodeRedisEnvelope(this.nodeIdValue, message));
  }

  subscribe(appId: string, channel: string, socketId: string): Promise<SubscriptionChange> {
    const fallback = this.local.subscribe(appId, channel, socketId);
    const entry = subscriptionEntry(this.keys, appId, channel, socketId);
    const registration: Registration = { appId, entry, inRedis: false };
    this.registered.set(entryString(entry), registration);
    return this.remote('subscribe', fallback, async (state) => {
      const change = await state.subscribe(entry);
      registration.inRedis = true;
      return change;
    });
  }

  unsubscribe(appId: string, channel: string, socketId: string): Promise<SubscriptionChange> {
    const fallback = this.local.unsubscribe(appId, channel, socketId);
    const entry = subscriptionEntry(this.keys, appId, channel, socketId);
    this.registered.delete(entryString(entry));
    return this.remote('unsubscribe', fallback, (state) => state.unsubscribe(entry));
  }

  addMember(
    appId: string,
    channel: string,
    socketId: string,
    member: PresenceMember,
  ): Promise<PresenceChange> {
    const fallback = this.local.addMember(appId, channel, socketId, member);
    const entry = presenceEntry(this.keys, appId, channel, socketId);
    const key = entryString(entry);
    const registration = this.registered.get(key) ?? { appId, entry, member, inRedis: false };
    this.registered.set(key, registration);
    return this.remote('addMember', fallback, async (state) => {
      const change = await state.addMember(entry, member);
      registration.inRedis = true;
      return change;
    });
  }

  removeMember(
    appId: string,
    channel: string,
    socketId: string,
  ): Promise<PresenceChange & { userId?: string }> {
    const fallback = this.local.removeMember(appId, channel, socketId);
    const entry = presenceEntry(this.keys, appId, channel, socketId);
    this.registered.delete(entryString(entry));
    return this.remote('removeMember', fallback, (state) => state.removeMember(entry));
  }

  members(appId: string, channel: string): Promise<PresenceMember[]> {
    return this.remote('members', this.local.members(appId, channel), (state) =>
      state.members(appId, channel),
    );
  }

  hasMember(appId: string, channel: string, userId: string): Promise<boolean> {
    return this.remote('hasMember', this.local.hasMember(appId, channel, userId), (state) =>
      state.hasMember(appId, channel, userId),
    );
  }

  channelCounts(appId: string, channel: string): Promise<ChannelCounts> {
    return this.remote('channelCounts', this.local.channelCounts(appId, channel), (state) =>
      state.channelCounts(appId, channel),
    );
  }

  channels(appId: string, prefix?: string): Promise<Map<string, ChannelCounts>> {
    return this.remote('channels', this.local.channels(appId, prefix), (state) =>
      state.channels(appId, prefix),
    );
  }

  async setCache(appId: string, channel: string, event: CachedEvent): Promise<void> {
    this.local.setCache(appId, channel, event);
    await this.remote('setCache', undefined, (state) =>
      state.setCache(appId, channel, event, event.expiresAt - this.clock.now()),
    );
  }

  async getCache(appId: string, channel: string): Promise<CachedEvent | undefined> {
    const event = await this.remote('getCache', this.local.getCache(appId, channel), (state) =>
      state.getCache(appId, channel),
    );
    return event !== undefined && event.expiresAt > this.clock.now() ? event : undefined;
  }

  /** Stops the heartbeat, withdraws this node from the cluster (announcing any presence it still held) and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.clock.clearInterval(this.timer);
    await this.syncing;
    if (this.online && this.state !== undefined) {
      try {
        this.announceReap(await this.state.reap(this.nodeIdValue, '0', true));
      } catch (error) {
        this.report(error, 'redis close');
      }
    }
    // What this turn published (the leaves above included) goes out before QUIT.
    this.batch.flush();
    this.closed = true;
    this.registered.clear();
    this.local.close();
    await Promise.all(
      [this.redis, this.subscriber].map((connection) =>
        connection.quit().catch(() => connection.disconnect()),
      ),
    );
  }

  /**
   * Stops heartbeating and drops both connections without withdrawing anything, as a crash would:
   * the other nodes reap this node after `nodeTimeoutMs`. For fault tests.
   */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearInterval(this.timer);
    this.batch.drop();
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  // -------------------------------------------------------------------------------------------

  /** Runs a Redis call when Redis is reachable; otherwise, or when it fails, answers with this node's own state. */
  private async remote<T>(
    context: string,
    fallback: T,
    run: (state: RedisClusterState) => Promise<T>,
  ): Promise<T> {
    if (!this.online || this.state === undefined) return fallback;
    try {
      return await run(this.state);
    } catch (error) {
      this.report(error, `redis ${context}`);
      return fallback;
    }
  }

  private onMessage(channel: string, raw: string): void {
    if (channel === this.keys.nodeInbox(this.nodeIdValue)) {
      this.inbox?.(raw);
      return;
    }
    if (channel !== this.keys.events) return;
    for (const envelope of decodeRedisEnvelopes(raw) ?? []) {
      if (envelope.origin !== this.nodeIdValue) this.delivery?.(envelope.message);
    }
  }

  /** One liveness round: stamp this node, re-register when it was reaped (or just reconnected), reap silent nodes. */
  private async beat(reconnected: boolean): Promise<void> {
    const state = this.state;
    if (!this.online || state === undefined) return;
    try {
      const fresh = await state.heartbeat();
      if (fresh || reconnected) {
        await this.resync();
        for (const listener of this.resyncListeners) listener();
      }
      const { threshold, nodeIds } = await state.staleNodes(this.settings.nodeTimeoutMs);
      for (const nodeId of nodeIds) this.announceReap(await state.reap(nodeId, threshold, false));
    } catch (error) {
      this.report(error, 'redis heartbeat');
    }
  }

  /** Brings Redis in line with what this node holds; one run at a time, re-run if asked meanwhile. */
  private resync(): Promise<void> {
    if (this.syncing !== undefined) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = async (): Promise<void> => {
      do {
        this.syncAgain = false;
        const state = this.state;
        if (state === undefined || !this.online) return;
        const changes = await resyncNode(state, this.registered);
        // Leaves made while Redis was away were reported by the session from this node's own state then.
        this.announceLeaves(changes.left);
        for (const change of changes.rejoined) this.reportClusterChange(change);
        for (const joined of changes.joined) {
          await this.publish({
            kind: 'channel',
            appId: joined.appId,
            channel: joined.channel,
            frame: encodeFrame({
              event: PusherEvent.MemberAdded,
              channel: joined.channel,
              data: joined.member,
            }),
            exceptSocketId: joined.socketId,
          });
        }
      } while (this.syncAgain);
    };
    this.syncing = run()
      .catch((error: unknown) => this.report(error, 'redis resync'))
      .finally(() => {
        this.syncing = undefined;
      });
    return this.syncing;
  }

  /** What a reap removed: `member_removed` to every subscriber, and each transition to this node's server. */
  private announceReap({ left, vacated }: ReapResult): void {
    this.announceLeaves(left);
    for (const { appId, channel, userId } of left)
      this.reportClusterChange({ kind: 'member_removed', appId, channel, userId });
    for (const { appId, channel } of vacated)
      this.reportClusterChange({ kind: 'channel_vacated', appId, channel });
  }

  private reportClusterChange(change: ClusterChange): void {
    try {
      this.onClusterChange?.(change);
    } catch (error) {
      this.report(error, `cluster change ${change.kind}`);
    }
  }

  /** `member_removed` to every subscriber, through the normal publish path. */
  private announceLeaves(left: readonly ReapedMember[]): void {
    for (const { appId, channel, userId } of left) {
      void this.publish({
        kind: 'channel',
        appId,
        channel,
        frame: encodeFrame({ event: PusherEvent.MemberRemoved, channel, data: { user_id: userId } }),
      });
    }
  }

  private reportOutage(error: unknown): void {
    if (this.outageReported || this.closed) return;
    this.outageReported = true;
    this.report(error, 'redis connection (serving local clients until it is back)');
  }

  private report(error: unknown, context: string): void {
    try {
      this.options.onError?.({ error, context });
    } catch {
      // A throwing error hook must not reach the server.
    }
  }
}

function withTimeout(promise: Promise<unknown>, ms: number, clock: Clock, message: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      () => {
        clock.clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*:)?[^@/]*@/, '//');
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
