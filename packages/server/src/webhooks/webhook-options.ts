import type { Clock } from '../clock.js';
import type { TetherServerEvents } from '../server-events.js';

/** Every number of the webhook sender (spec §6.5), in one place. */
export const webhookDefaults = {
  /** Pusher waits ~3 s before `channel_vacated` / `member_removed` and drops both if the client comes back. */
  leaveDelayMs: 3000,
  /** Events for one target within this window go out in one POST. */
  batchWindowMs: 50,
  /** Most events in one POST. */
  maxBatchEvents: 100,
  /** First retry after about this long (with jitter), doubling each time. */
  retryBaseDelayMs: 1000,
  /** Longest wait between two attempts. */
  retryMaxDelayMs: 60_000,
  /** Pusher retries a failing target for 5 minutes, then drops the batch. */
  retryWindowMs: 5 * 60_000,
  /** Events queued per target while it fails; past it the oldest are dropped (and reported). */
  maxQueuedEvents: 10_000,
  /** One POST may take this long before it counts as failed. */
  requestTimeoutMs: 10_000,
} as const;

export type WebhookLimits = { [K in keyof typeof webhookDefaults]: number };

export interface WebhookOptions extends Partial<WebhookLimits> {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Jitter source in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** Told about every failure (a target giving up, a full queue); the server itself never sees one. */
  error?: (context: TetherServerEvents['error']) => void;
}

/** What the per-target queues share once the options are resolved. */
export interface WebhookRuntime {
  fetch: typeof fetch;
  clock: Clock;
  random: () => number;
  limits: WebhookLimits;
  report: (error: unknown, context: string) => void;
}
