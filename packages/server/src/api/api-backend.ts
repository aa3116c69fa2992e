import type { AppConfig } from '../app-config.js';

/** What the HTTP API (`/apps/:id/...`) needs from the core server. Implemented by TetherServer. */
export interface ApiBackend {
  findAppById(id: string): AppConfig | undefined;
  /** Publishes each event to its channel; `socketId` excludes that connection. Channels beginning `#server-to-user-` go to that user's signed-in connections. */
  trigger(app: AppConfig, events: readonly ApiTriggerEvent[]): Promise<void>;
  channelInfo(app: AppConfig, channel: string): Promise<ApiChannelState>;
  /** Occupied channels, optionally filtered by prefix. */
  channels(app: AppConfig, prefix: string | undefined): Promise<Map<string, ApiChannelState>>;
  /** Unique user ids of a presence channel. */
  channelUsers(app: AppConfig, channel: string): Promise<string[]>;
  /** Closes every connection signed in as `userId` with 4009. */
  terminateUserConnections(app: AppConfig, userId: string): Promise<void>;
}

export interface ApiTriggerEvent {
  channel: string;
  name: string;
  /** Passed through verbatim to subscribers. */
  data: string;
  socketId?: string;
}

export interface ApiChannelState {
  subscriptionCount: number;
  /** Presence channels only: unique users. */
  userCount?: number;
  /** Cache channels only: the cached event, if any. */
  cache?: { data: string; ttl: number };
}
