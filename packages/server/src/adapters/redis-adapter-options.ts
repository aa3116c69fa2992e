import type { RedisOptions } from 'ioredis';
import type { Clock } from '../clock.js';

/** Every number and default of the Redis adapter. Times in milliseconds. */
export const redisAdapterDefaults = {
  url: 'redis://127.0.0.1:6379',
  /** Every key and pub/sub channel starts with `{keyPrefix}:`; give each deployment its own. */
  keyPrefix: 'tether',
  /** How often a node stamps itself alive and looks for dead nodes. */
  heartbeatIntervalMs: 1_000,
  /** A node silent this long is dead: its connections leave every channel (member_removed). ≥ 3 heartbeats. */
  nodeTimeoutMs: 5_000,
  /** `init` rejects when Redis is not ready this soon (the adapter keeps retrying and serves local clients meanwhile). */
  readyTimeoutMs: 5_000,
  /** Reconnect backoff: the delay grows by this much per attempt… */
  reconnectStepMs: 100,
  /** …up to this. */
  reconnectMaxMs: 2_000,
  /** Events published in one turn leave as one PUBLISH; a batch reaching this many characters leaves at once. */
  publishBatchMaxBytes: 64 * 1024,
} as const;

export interface RedisAdapterOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`. */
  url?: string;
  /** Passed to ioredis as is (TLS, Sentinel, auth); the adapter overrides only its queueing and retry settings. */
  redisOptions?: RedisOptions;
  keyPrefix?: string;
  heartbeatIntervalMs?: number;
  nodeTimeoutMs?: number;
  readyTimeoutMs?: number;
  reconnectStepMs?: number;
  reconnectMaxMs?: number;
  publishBatchMaxBytes?: number;
  clock?: Clock;
  /** The node id when `init` is given none (standalone use); the server passes its socket-id node half. */
  nodeId?: string;
  /** Redis errors: reported, never thrown into the server. Connection loss is reported once per outage. */
  onError?: (context: { error: unknown; context: string }) => void;
}

export type RedisAdapterSettings = {
  [K in keyof typeof redisAdapterDefaults]: (typeof redisAdapterDefaults)[K] extends string ? string : number;
};
