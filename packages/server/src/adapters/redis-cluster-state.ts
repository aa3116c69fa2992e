import type { PresenceMember } from '@tether/protocol';
import type { Redis } from 'ioredis';
import type { CachedEvent, ChannelCounts, PresenceChange, SubscriptionChange } from './adapter.js';
import { entryString, parseMember, type PresenceEntry, type SubscriptionEntry } from './redis-entries.js';
import type { RedisKeys } from './redis-keys.js';
import { replyList, runScript } from './redis-script-runner.js';

/** A user whose last connection in a presence channel was removed by a reap. */
export interface ReapedMember {
  appId: string;
  channel: string;
  userId: string;
}

/** A channel whose last subscription was removed by a reap. */
export interface VacatedChannel {
  appId: string;
  channel: string;
}

/** What a reap removed that others must hear of: users' last connections and channels' last subscriptions. */
export interface ReapResult {
  left: ReapedMember[];
  vacated: VacatedChannel[];
}

/**
 * Cluster state in Redis, one round trip per call. Knows nothing of fallbacks or timers: every method
 * may reject (Redis down), and the adapter decides what to do then.
 */
export class RedisClusterState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
  ) {}

  async subscribe(entry: SubscriptionEntry): Promise<SubscriptionChange> {
    const [count, transition] = replyList(
      await runScript(
        this.redis,
        'subscribe',
        [entry.subscribers, entry.channelIndex, this.entriesKey],
        [entry.socketId, entry.channel, entryString(entry)],
      ),
    );
    return { subscriptionCount: Number(count ?? 0), transition: transition === 1 };
  }

  async unsubscribe(entry: SubscriptionEntry): Promise<SubscriptionChange> {
    const [count, transition] = replyList(
      await runScript(
        this.redis,
        'unsubscribe',
        [entry.subscribers, entry.channelIndex, this.entriesKey],
        [entry.socketId, entry.channel, entryString(entry)],
      ),
    );
    return { subscriptionCount: Number(count ?? 0), transition: transition === 1 };
  }

  async addMember(entry: PresenceEntry, member: PresenceMember): Promise<PresenceChange> {
    const [transition, userCount] = replyList(
      await runScript(
        this.redis,
        'addMember',
        [entry.sockets, entry.counts, entry.members, this.entriesKey],
        [entry.socketId, member.user_id, JSON.stringify(member), entryString(entry)],
      ),
    );
    return { transition: transition === 1, userCount: Number(userCount ?? 0) };
  }

  async removeMember(entry: PresenceEntry): Promise<PresenceChange & { userId?: string }> {
    const [transition, userCount, userId] = replyList(
      await runScript(
        this.redis,
        'removeMember',
        [entry.sockets, entry.counts, entry.members, this.entriesKey],
        [entry.socketId, entryString(entry)],
      ),
    );
    const change: PresenceChange & { userId?: string } = {
      transition: transition === 1,
      userCount: Number(userCount ?? 0),
    };
    if (userId !== undefined) change.userId = String(userId);
    return change;
  }

  async members(appId: string, channel: string): Promise<PresenceMember[]> {
    const stored = await this.redis.hvals(this.keys.presenceMembers(appId, channel));
    return stored.map(parseMember).filter((member): member is PresenceMember => member !== undefined);
  }

  async hasMember(appId: string, channel: string, userId: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.presenceMembers(appId, channel), userId)) === 1;
  }

  async channelCounts(appId: string, channel: string): Promise<ChannelCounts> {
    const [counts] = await this.countsOf(appId, [channel]);
    return counts ?? { subscriptionCount: 0 };
  }

  async channels(appId: string, prefix: string | undefined): Promise<Map<string, ChannelCounts>> {
    const names = (await this.redis.smembers(this.keys.channelIndex(appId))).filter(
      (name) => prefix === undefined || name.startsWith(prefix),
    );
    names.sort();
    const counts = await this.countsOf(appId, names);
    const result = new Map<string, ChannelCounts>();
    names.forEach((name, index) => {
      const entry = counts[index];
      if (entry !== undefined && entry.subscriptionCount > 0) result.set(name, entry);
    });
    return result;
  }

  async setCache(appId: string, channel: string, event: CachedEvent, ttlMs: number): Promise<void> {
    const key = this.keys.cache(appId, channel);
    if (ttlMs <= 0) await this.redis.del(key);
    else await this.redis.set(key, JSON.stringify(event), 'PX', Math.ceil(ttlMs));
  }

  async getCache(appId: string, channel: string): Promise<CachedEvent | undefined> {
    const raw = await this.redis.get(this.keys.cache(appId, channel));
    return raw === null ? undefined : parseCachedEvent(raw);
  }

  /** Stamps this node alive; true when it was not registered (first beat, or reaped while away). */
  async heartbeat(): Promise<boolean> {
    return (await runScript(this.redis, 'heartbeat', [this.keys.nodes], [this.nodeId])) === 1;
  }

  /** Nodes silent for longer than `timeoutMs` (this one excluded), and the Redis-time threshold used. */
  async staleNodes(timeoutMs: number): Promise<{ threshold: string; nodeIds: string[] }> {
    const [threshold = '0', ...nodeIds] = replyList(
      await runScript(this.redis, 'staleNodes', [this.keys.nodes], [timeoutMs]),
    ).map(String);
    return { threshold, nodeIds: nodeIds.filter((id) => id !== this.nodeId) };
  }

  /** Undoes a node's registrations (unless it beat since `threshold`; `force` for this node's own shutdown). */
  async reap(nodeId: string, threshold: string, force: boolean): Promise<ReapResult> {
    const reply = await runScript(
      this.redis,
      'reapNode',
      [this.keys.nodes, this.keys.nodeEntries(nodeId), this.keys.nodeHttpSessions(nodeId)],
      [nodeId, threshold, force ? '1' : '0'],
    );
    const [leftReply, vacatedReply] = Array.isArray(reply) ? (reply as unknown[]) : [];
    const flatLeft = replyList(leftReply).map(String);
    const flatVacated = replyList(vacatedReply).map(String);
    const result: ReapResult = { left: [], vacated: [] };
    for (let index = 0; index + 2 < flatLeft.length; index += 3) {
      result.left.push({
        appId: flatLeft[index] ?? '',
        channel: flatLeft[index + 1] ?? '',
        userId: flatLeft[index + 2] ?? '',
      });
    }
    for (let index = 0; index + 1 < flatVacated.length; index += 2) {
      const appId = this.keys.appIdOfChannelIndex(flatVacated[index] ?? '');
      if (appId !== undefined) result.vacated.push({ appId, channel: flatVacated[index + 1] ?? '' });
    }
    return result;
  }

  /** Drops an entry this node's set holds but cannot be read (written by another version). */
  async forgetEntry(raw: string): Promise<void> {
    await this.redis.srem(this.entriesKey, raw);
  }

  /** The entry strings Redis holds for this node. */
  storedEntries(): Promise<string[]> {
    return this.redis.smembers(this.entriesKey);
  }

  private get entriesKey(): string {
    return this.keys.nodeEntries(this.nodeId);
  }

  private async countsOf(appId: string, channels: readonly string[]): Promise<ChannelCounts[]> {
    if (channels.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const channel of channels) {
      pipeline.scard(this.keys.subscribers(appId, channel));
      pipeline.hlen(this.keys.presenceMembers(appId, channel));
    }
    const replies = (await pipeline.exec()) ?? [];
    return channels.map((_, index) => {
      const [subError, subscriptions] = replies[index * 2] ?? [];
      const [userError, users] = replies[index * 2 + 1] ?? [];
      if (subError) throw subError;
      if (userError) throw userError;
      const counts: ChannelCounts = { subscriptionCount: Number(subscriptions ?? 0) };
      if (Number(users ?? 0) > 0) counts.userCount = Number(users);
      return counts;
    });
  }
}

function parseCachedEvent(raw: string): CachedEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { frame, data, expiresAt } = parsed as Partial<Record<keyof CachedEvent, unknown>>;
  if (typeof frame !== 'string' || typeof data !== 'string' || typeof expiresAt !== 'number')
    return undefined;
  return { frame, data, expiresAt };
}
