import type { TransportName } from '@tether/protocol';

/**
 * Connection options: where the server is and how the connection layer behaves. Every number the
 * connection layer uses comes from `connectionDefaults`. The API layer adds its own options
 * (auth, channels) in `client-options.ts`.
 */

/** Sent in every connect URL as `client=` and `version=`. */
export const clientInfo = {
  name: 'tether-js',
  version: '0.1.0',
} as const;

export const connectionDefaults = {
  /** Prefix placed before `/app/{key}` on every URL. */
  path: '',
  /** Ours; the effective value is the smaller of this and the server's `activity_timeout`. */
  activityTimeout: 120_000,
  /** How long to wait for any frame after a ping before the connection is presumed dead. */
  pongTimeout: 30_000,
  /** Time in `connecting` before the state becomes `unavailable` (retries go on). */
  unavailableTimeout: 10_000,
  /** Bounds of the activity timeout learnt after a 1006: half the last lifespan, clamped here. */
  minActivityTimeoutMs: 10_000,
  maxActivityTimeoutMs: 120_000,

  /** Time WebSocket gets alone before SSE starts in parallel, with TLS and without. */
  fallbackDelayTlsMs: 2_000,
  fallbackDelayPlainMs: 5_000,
  /** Gap between the start of SSE and the start of long-poll. */
  longPollDelayMs: 3_000,
  /** One attempt that has not finished its handshake after this long is abandoned. */
  handshakeTimeoutMs: 15_000,

  /** Backoff window: the delay is drawn in [min, min(cap, base × 2^(attempt+1))]. */
  backoffMinMs: 1_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
  /** Spacing of consecutive immediate retries (close code 42xx): 0, then this, doubling, up to the cap. */
  immediateRetrySpacingMs: 250,
  immediateRetryCapMs: 10_000,
  /** A connection that lived at least this long resets the failure streak behind backoff and pacing. */
  stableConnectionMs: 30_000,
  /** While offline, retries pause; one is still made this often in case the `online` signal never comes. */
  offlineRetryMs: 30_000,

  /** Deaths before a transport is disabled (a death: see transport-health.ts). */
  lives: { websocket: 2, sse: 2, 'long-poll': Number.POSITIVE_INFINITY },
  /** How long a disabled transport stays disabled. */
  banDurationMs: 30 * 60_000,
  /** How long the reachability probe (an HTTP GET to the server) may take before the server counts as unreachable. */
  reachabilityTimeoutMs: 3_000,

  /** How long the remembered transport is trusted. */
  memoryTtlMs: 30 * 60_000,
  /** The remembered transport gets `latency × factor + margin` alone (at most the normal fallback delay). */
  memoryLatencyFactor: 2,
  memoryLatencyMarginMs: 1_000,

  /** While on a fallback: first background WebSocket probe after this long. */
  probeDelayMs: 3_000,
  /** After a failed probe: the next after this, doubling, up to the cap. */
  probeIntervalMs: 60_000,
  probeIntervalCapMs: 10 * 60_000,
} as const;

export type TransportLives = Record<TransportName, number>;

export interface ConnectionOptions {
  /** The app key (`/app/{key}`). */
  key: string;
  /** One host and port for every transport; `wsHost`/`wsPort`/`httpHost`/`httpPort` override it per kind. */
  host?: string;
  port?: number;
  wsHost?: string;
  wsPort?: number;
  httpHost?: string;
  httpPort?: number;
  /** TLS on (wss/https) or off. Unset: TLS when the page itself is served over https. */
  forceTLS?: boolean;
  path?: string;
  enabledTransports?: readonly TransportName[];
  disabledTransports?: readonly TransportName[];
  activityTimeout?: number;
  pongTimeout?: number;
  unavailableTimeout?: number;
  minActivityTimeoutMs?: number;
  maxActivityTimeoutMs?: number;
  fallbackDelayTlsMs?: number;
  fallbackDelayPlainMs?: number;
  longPollDelayMs?: number;
  handshakeTimeoutMs?: number;
  backoffMinMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  immediateRetrySpacingMs?: number;
  immediateRetryCapMs?: number;
  stableConnectionMs?: number;
  offlineRetryMs?: number;
  lives?: Partial<TransportLives>;
  banDurationMs?: number;
  reachabilityTimeoutMs?: number;
  memoryTtlMs?: number;
  memoryLatencyFactor?: number;
  memoryLatencyMarginMs?: number;
  probeDelayMs?: number;
  probeIntervalMs?: number;
  probeIntervalCapMs?: number;
}

type Numeric = {
  -readonly [
    K in keyof typeof connectionDefaults as (typeof connectionDefaults)[K] extends number ? K : never
  ]: number;
};

export interface ResolvedConnectionOptions extends Numeric {
  key: string;
  wsHost: string;
  wsPort: number | null;
  httpHost: string;
  httpPort: number | null;
  forceTLS: boolean | null;
  path: string;
  /** Enabled minus disabled, in the order of preference. */
  transports: TransportName[];
  lives: TransportLives;
}

/** Transports in order of preference. */
export const TRANSPORT_PREFERENCE = [
  'websocket',
  'sse',
  'long-poll',
] as const satisfies readonly TransportName[];

/** Fills in defaults. Throws a TypeError for options no connection can work with (no key, no host). */
export function resolveConnectionOptions(options: ConnectionOptions): ResolvedConnectionOptions {
  if (typeof options.key !== 'string' || options.key === '')
    throw new TypeError('Tether: options.key (the app key) is required');
  const wsHost = options.wsHost ?? options.host;
  const httpHost = options.httpHost ?? options.host ?? wsHost;
  if (!wsHost || !httpHost)
    throw new TypeError('Tether: set options.host (or wsHost and httpHost) to your server');
  const enabled = options.enabledTransports ?? TRANSPORT_PREFERENCE;
  const disabled = options.disabledTransports ?? [];
  // Every number in connectionDefaults (all but `path` and `lives`), taken from the options when set.
  const numbers: Record<string, number> = {};
  for (const [name, value] of Object.entries(connectionDefaults)) {
    if (typeof value === 'number') numbers[name] = options[name as keyof Numeric] ?? value;
  }
  return {
    ...(numbers as Numeric),
    key: options.key,
    wsHost,
    wsPort: options.wsPort ?? options.port ?? null,
    httpHost,
    httpPort:
      options.httpPort ?? options.port ?? (options.httpHost === undefined ? (options.wsPort ?? null) : null),
    forceTLS: options.forceTLS ?? null,
    path: options.path ?? connectionDefaults.path,
    transports: TRANSPORT_PREFERENCE.filter((name) => enabled.includes(name) && !disabled.includes(name)),
    lives: { ...connectionDefaults.lives, ...options.lives },
  };
}
