import { presenceLimitsDefaults } from '@tether/protocol';

/** One app served by a Tether server: its credentials, switches and limits (soketi-style fields). */
export interface AppConfig {
  id: string;
  key: string;
  secret: string;
  enabled: boolean;
  /** Allow `client-*` events on private and presence channels. */
  clientEvents: boolean;
  /** Client events per second per connection; over it: `pusher:error` 4301, no close. */
  maxClientEventsPerSecond: number;
  /** Concurrent connections on this node; over it: close 4004. 0 = unlimited. */
  maxConnections: number;
  maxPresenceMembersPerChannel: number;
  maxPresenceMemberSizeBytes: number;
  maxChannelNameLength: number;
  /** Enforce Pusher's 164-character channel names. */
  strictChannelNames: boolean;
  maxEventNameLength: number;
  /** Bytes of `data` per event (HTTP API and client events); over it: 413 / `pusher:error`. */
  maxEventPayloadBytes: number;
  maxEventChannelsAtOnce: number;
  maxEventBatchSize: number;
  /** Seconds a cache channel keeps its last event. */
  cacheTtlSeconds: number;
  /**
   * Pusher's opt-in subscription counting: on every change of a non-presence channel's subscription
   * count, its subscribers get `pusher_internal:subscription_count` and the server emits `subscription_count`.
   */
  subscriptionCountEvents: boolean;
  /** Webhook targets; empty = none. */
  webhooks: WebhookConfig[];
}

export interface WebhookConfig {
  url: string;
  /** Event names to send: channel_occupied, channel_vacated, member_added, member_removed, client_event, cache_miss, subscription_count. */
  events: string[];
}

export const appDefaults = {
  enabled: true,
  clientEvents: true,
  maxClientEventsPerSecond: 10,
  maxConnections: 0,
  maxPresenceMembersPerChannel: presenceLimitsDefaults.maxMembers,
  maxPresenceMemberSizeBytes: presenceLimitsDefaults.maxUserInfoBytes,
  maxChannelNameLength: 200,
  strictChannelNames: false,
  maxEventNameLength: 200,
  maxEventPayloadBytes: 10 * 1024,
  maxEventChannelsAtOnce: 100,
  maxEventBatchSize: 10,
  cacheTtlSeconds: 1800,
  subscriptionCountEvents: false,
  webhooks: [],
} as const satisfies Omit<AppConfig, 'id' | 'key' | 'secret'>;

/** The app every default install serves (`app-id` / `app-key` / `app-secret`, as soketi). */
export const defaultAppCredentials = { id: 'app-id', key: 'app-key', secret: 'app-secret' } as const;

export type AppInput = Pick<AppConfig, 'id' | 'key' | 'secret'> &
  Partial<Omit<AppConfig, 'id' | 'key' | 'secret'>>;

export const resolveApp = (input: AppInput): AppConfig => ({ ...appDefaults, webhooks: [], ...input });
