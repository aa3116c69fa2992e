import type { PresenceMember } from '@tether/protocol';

/**
 * Everything that crosses node boundaries goes through an Adapter: fan-out, presence, channel counts,
 * user-targeted delivery, user termination and cache storage. Sessions and channels never know which
 * adapter runs; every method may answer synchronously (memory) or with a promise (Redis).
 *
 * The adapter owns cluster-wide state (who is subscribed where, which users are present). Each node
 * keeps its own sockets and registers one `AdapterDelivery` that hands a message to its local sessions.
 */
export type MaybePromise<T> = T | Promise<T>;

/** A frame already encoded once by `encodeFrame`: every node and every recipient sends the same string. */
export interface EncodedFrame {
  frame: string;
  /** Reserved for lossless resume: an event id and its per-channel offset within an epoch. */
  id?: string;
  offset?: number;
}

export type AdapterMessage =
  | (EncodedFrame & { kind: 'channel'; appId: string; channel: string; exceptSocketId?: string })
  | (EncodedFrame & { kind: 'user'; appId: string; userId: string; exceptSocketId?: string })
  | { kind: 'terminate-user'; appId: string; userId: string };

/** How a node receives messages from the adapter (its own and every other node's). */
export type AdapterDelivery = (message: AdapterMessage) => void;

export interface SubscriptionChange {
  /** Connections subscribed cluster-wide after the change. */
  subscriptionCount: number;
  /** True when this change took the channel from 0 to 1 (subscribe) or from 1 to 0 (unsubscribe). */
  transition: boolean;
}

export interface PresenceChange {
  /** True on the user's first connection in the channel (join) or their last leaving (leave). */
  transition: boolean;
  /** Unique users in the channel after the change. */
  userCount: number;
}

export interface ChannelCounts {
  subscriptionCount: number;
  /** Presence channels: unique users. */
  userCount?: number;
}

export interface CachedEvent {
  /** The encoded channel-event frame, replayed verbatim to new subscribers. */
  frame: string;
  /** The event's `data` string, for the HTTP API's `info=cache`. */
  data: string;
  /** Epoch milliseconds after which the entry is gone. */
  expiresAt: number;
}

/**
 * A cluster-wide transition the adapter made on its own, not on behalf of one of this node's sessions:
 * the connections of a dead node removed by a reap, or this node's connections registered again after
 * it was reaped. The node that made the change is the only one told, so the server reports it once.
 */
export type ClusterChange =
  | { kind: 'channel_occupied'; appId: string; channel: string }
  | { kind: 'channel_vacated'; appId: string; channel: string }
  | { kind: 'member_added'; appId: string; channel: string; userId: string }
  | { kind: 'member_removed'; appId: string; channel: string; userId: string };

/** Who this node is in the cluster, as the server knows it. */
export interface AdapterNode {
  /** Unique in the cluster: the node half of this node's socket ids. */
  nodeId: string;
  /**
   * Told about each `ClusterChange`, in the order webhooks use (members before their channel is vacated,
   * the channel occupied before its members join). Single-node adapters never make one.
   */
  onClusterChange?: (change: ClusterChange) => void;
}

export interface Adapter {
  /** Registers this node's delivery; called once by the server before any other method. */
  init(delivery: AdapterDelivery, node?: AdapterNode): MaybePromise<void>;
  /** Sends a message to every node (this one included). Exclusion and routing happen at delivery. */
  publish(message: AdapterMessage): MaybePromise<void>;

  subscribe(appId: string, channel: string, socketId: string): MaybePromise<SubscriptionChange>;
  unsubscribe(appId: string, channel: string, socketId: string): MaybePromise<SubscriptionChange>;
  /** Adds one connection of `member.user_id` to a presence channel. */
  addMember(
    appId: string,
    channel: string,
    socketId: string,
    member: PresenceMember,
  ): MaybePromise<PresenceChange>;
  /** Removes one connection; `transition` true when it was the user's last. Unknown sockets: no transition. */
  removeMember(
    appId: string,
    channel: string,
    socketId: string,
  ): MaybePromise<PresenceChange & { userId?: string }>;
  /** One entry per unique user, with the user_info of their first connection. */
  members(appId: string, channel: string): MaybePromise<PresenceMember[]>;
  /** True when `userId` already has a connection in the channel. */
  hasMember(appId: string, channel: string, userId: string): MaybePromise<boolean>;

  channelCounts(appId: string, channel: string): MaybePromise<ChannelCounts>;
  /** Occupied channels (subscriptionCount > 0), optionally by name prefix. */
  channels(appId: string, prefix?: string): MaybePromise<Map<string, ChannelCounts>>;

  setCache(appId: string, channel: string, event: CachedEvent): MaybePromise<void>;
  /** The cached event, or undefined when none or expired (the adapter uses the clock it was given). */
  getCache(appId: string, channel: string): MaybePromise<CachedEvent | undefined>;

  close(): MaybePromise<void>;
}
