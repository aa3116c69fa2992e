import type { AppConfig } from './app-config.js';
import type { ServerTransportName } from './transports/transport.js';

/**
 * What a Tether server reports about itself, as typed events with one context object each.
 * Webhooks, metrics and logs subscribe to these; none of them reach into sessions or channels.
 * In a cluster, channel and member events are emitted by the node that sees the cluster-wide transition.
 */
export interface TetherServerEvents {
  connection: { app: AppConfig; socketId: string; transport: ServerTransportName };
  disconnection: {
    app: AppConfig;
    socketId: string;
    transport: ServerTransportName;
    code: number;
    reason: string;
  };
  channel_occupied: { app: AppConfig; channel: string };
  channel_vacated: { app: AppConfig; channel: string };
  member_added: { app: AppConfig; channel: string; userId: string };
  member_removed: { app: AppConfig; channel: string; userId: string };
  client_event: {
    app: AppConfig;
    channel: string;
    event: string;
    data: unknown;
    socketId: string;
    userId?: string;
  };
  cache_miss: { app: AppConfig; channel: string };
  subscription_count: { app: AppConfig; channel: string; subscriptionCount: number };
  /** Something went wrong that did not reach a client (a failing adapter, a webhook target). */
  error: { error: unknown; context: string };
}

export type TetherServerEventName = keyof TetherServerEvents;
export type TetherServerListener<K extends TetherServerEventName> = (context: TetherServerEvents[K]) => void;

/** The subscribe side of a Tether server's events. */
export interface TetherServerEventSource {
  on<K extends TetherServerEventName>(event: K, listener: TetherServerListener<K>): () => void;
}
