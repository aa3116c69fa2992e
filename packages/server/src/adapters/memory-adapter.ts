import type { PresenceMember } from '@tether/protocol';
import { systemClock, type Clock } from '../clock.js';
import type {
  Adapter,
  AdapterDelivery,
  AdapterMessage,
  CachedEvent,
  ChannelCounts,
  PresenceChange,
  SubscriptionChange,
} from './adapter.js';

interface PresenceState {
  /** userId → the sockets of that user in the channel, and the member info of the first one. */
  users: Map<string, { sockets: Set<string>; member: PresenceMember }>;
  /** socketId → userId */
  sockets: Map<string, string>;
}

/** The single-node adapter: all state in this process, delivery a direct call. */
export class MemoryAdapter implements Adapter {
  private delivery: AdapterDelivery | undefined;
  /** `${appId}\n${channel}` keys keep apps apart without nested maps. */
  private readonly subscriptions = new Map<string, Set<string>>();
  private readonly presence = new Map<string, PresenceState>();
  private readonly cache = new Map<string, CachedEvent>();

  constructor(private readonly clock: Clock = systemClock) {}

  init(delivery: AdapterDelivery): void {
    this.delivery = delivery;
  }

  publish(message: AdapterMessage): void {
    this.delivery?.(message);
  }

  subscribe(appId: string, channel: string, socketId: string): SubscriptionChange {
    const key = keyOf(appId, channel);
    let sockets = this.subscriptions.get(key);
    if (sockets === undefined) {
      sockets = new Set();
      this.subscriptions.set(key, sockets);
    }
    const before = sockets.size;
    sockets.add(socketId);
    return { subscriptionCount: sockets.size, transition: before === 0 && sockets.size === 1 };
  }

  unsubscribe(appId: string, channel: string, socketId: string): SubscriptionChange {
    const key = keyOf(appId, channel);
    const sockets = this.subscriptions.get(key);
    if (sockets === undefined || !sockets.delete(socketId)) {
      return { subscriptionCount: sockets?.size ?? 0, transition: false };
    }
    if (sockets.size === 0) this.subscriptions.delete(key);
    return { subscriptionCount: sockets.size, transition: sockets.size === 0 };
  }

  addMember(appId: string, channel: string, socketId: string, member: PresenceMember): PresenceChange {
    const key = keyOf(appId, channel);
    let state = this.presence.get(key);
    if (state === undefined) {
      state = { users: new Map(), sockets: new Map() };
      this.presence.set(key, state);
    }
    if (state.sockets.has(socketId)) return { transition: false, userCount: state.users.size };
    state.sockets.set(socketId, member.user_id);
    const existing = state.users.get(member.user_id);
    if (existing !== undefined) {
      existing.sockets.add(socketId);
      return { transition: false, userCount: state.users.size };
    }
    state.users.set(member.user_id, { sockets: new Set([socketId]), member });
    return { transition: true, userCount: state.users.size };
  }

  removeMember(appId: string, channel: string, socketId: string): PresenceChange & { userId?: string } {
    const key = keyOf(appId, channel);
    const state = this.presence.get(key);
    const userId = state?.sockets.get(socketId);
    if (state === undefined || userId === undefined)
      return { transition: false, userCount: state?.users.size ?? 0 };
    state.sockets.delete(socketId);
    const user = state.users.get(userId);
    user?.sockets.delete(socketId);
    const last = user !== undefined && user.sockets.size === 0;
    if (last) state.users.delete(userId);
    if (state.users.size === 0) this.presence.delete(key);
    return { transition: last, userCount: state.users.size, userId };
  }

  members(appId: string, channel: string): PresenceMember[] {
    const state = this.presence.get(keyOf(appId, channel));
    return state === undefined ? [] : [...state.users.values()].map((user) => user.member);
  }

  hasMember(appId: string, channel: string, userId: string): boolean {
    return this.presence.get(keyOf(appId, channel))?.users.has(userId) ?? false;
  }

  channelCounts(appId: string, channel: string): ChannelCounts {
    const key = keyOf(appId, channel);
    const counts: ChannelCounts = { subscriptionCount: this.subscriptions.get(key)?.size ?? 0 };
    const state = this.presence.get(key);
    if (state !== undefined) counts.userCount = state.users.size;
    return counts;
  }

  channels(appId: string, prefix?: string): Map<string, ChannelCounts> {
    const result = new Map<string, ChannelCounts>();
    const appPrefix = keyOf(appId, '');
    for (const key of this.subscriptions.keys()) {
      if (!key.startsWith(appPrefix)) continue;
      const channel = key.slice(appPrefix.length);
      if (prefix !== undefined && !channel.startsWith(prefix)) continue;
      result.set(channel, this.channelCounts(appId, channel));
    }
    return result;
  }

  setCache(appId: string, channel: string, event: CachedEvent): void {
    this.cache.set(keyOf(appId, channel), event);
  }

  getCache(appId: string, channel: string): CachedEvent | undefined {
    const key = keyOf(appId, channel);
    const event = this.cache.get(key);
    if (event === undefined) return undefined;
    if (event.expiresAt <= this.clock.now()) {
      this.cache.delete(key);
      return undefined;
    }
    return event;
  }

  close(): void {
    this.delivery = undefined;
    this.subscriptions.clear();
    this.presence.clear();
    this.cache.clear();
  }
}

const keyOf = (appId: string, channel: string): string => `${appId}\n${channel}`;
