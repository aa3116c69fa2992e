import { decodeLimitsDefaults } from '@tether/protocol';
import type { Adapter } from './adapters/adapter.js';
import type { AppInput } from './app-config.js';
import type { Clock } from './clock.js';
import type { HttpFallbackLimits } from './transports/http-fallback-options.js';
import type { WebhookOptions } from './webhooks/webhook-options.js';

export interface TetherServerOptions {
  /** Apps this process serves; default: one app `app-id` / `app-key` / `app-secret`. */
  apps: AppInput[];
  /** Prefix before `/app/:key` (and before the HTTP routes), e.g. `/realtime`. */
  pathPrefix: string;
  /** Seconds advertised in `connection_established`; must be > 0 (pusher-js wedges on 0). */
  activityTimeoutSeconds: number;
  /** Milliseconds between WebSocket protocol pings: below nginx's 60 s idle timeout. */
  heartbeatIntervalMs: number;
  /** Milliseconds a ping may go unanswered before the connection is closed with 4201. */
  pongTimeoutMs: number;
  /** After a close frame to an unresponsive peer, milliseconds before its socket is destroyed. */
  closeGraceMs: number;
  /** Accept a connect URL without `protocol` as version 7 instead of closing with 4008. */
  lenientProtocol: boolean;
  /** Largest client frame in bytes; over it the WebSocket closes with 1009. */
  maxFrameBytes: number;
  /** Bytes a WebSocket may hold unsent for a slow reader; past it the connection is closed with 4110. */
  maxBufferedBytes: number;
  /** Upper bound on a graceful drain: clients still open afterwards are cut. */
  drainMs: number;
  /** Fan-out and cluster state; default: in-memory (one node), or Redis when `redisUrl` is set. */
  adapter: Adapter | undefined;
  /** `redis://…`: runs this node as part of a cluster through a `RedisAdapter` (ignored when `adapter` is given). */
  redisUrl: string | undefined;
  /** With `redisUrl`: the prefix of every Redis key and channel (default `tether`); one per deployment sharing a Redis. */
  redisKeyPrefix: string | undefined;
  clock: Clock | undefined;
  /** The node half of socket ids; default: random per process. */
  nodeId: number | undefined;
  /**
   * How webhooks are sent to the targets in each app's `webhooks` list (fetch, timing, error hook).
   * Webhooks are always on; an app without targets sends none.
   */
  webhooks: WebhookOptions | undefined;
  /** Timings and bounds of the HTTP fallback transports; defaults in `httpFallbackDefaults`. */
  httpFallbacks: Partial<HttpFallbackLimits> | undefined;
}

export const tetherServerDefaults = {
  pathPrefix: '',
  activityTimeoutSeconds: 120,
  heartbeatIntervalMs: 25_000,
  pongTimeoutMs: 10_000,
  closeGraceMs: 1_000,
  lenientProtocol: false,
  maxFrameBytes: decodeLimitsDefaults.maxFrameBytes,
  maxBufferedBytes: 4 * 1024 * 1024,
  drainMs: 3_000,
} as const satisfies Partial<TetherServerOptions>;

export type TetherServerInput = Partial<TetherServerOptions>;
