import type { ClientClock, TimerHandle } from '../platform/platform.js';

export interface HeartbeatOptions {
  pongTimeout: number;
}

export interface ActivityTimeoutOptions {
  activityTimeout: number;
  minActivityTimeoutMs: number;
  maxActivityTimeoutMs: number;
}

/**
 * The activity timeout for a new connection (spec §2): the smaller of ours, the server's
 * `activity_timeout` (seconds) and the one learnt from the last drop, if any.
 */
export function effectiveActivityTimeout(
  options: Pick<ActivityTimeoutOptions, 'activityTimeout'>,
  serverSeconds: number,
  learntMs: number | null,
): number {
  const server = serverSeconds > 0 ? serverSeconds * 1000 : Number.POSITIVE_INFINITY;
  return Math.min(options.activityTimeout, server, learntMs ?? Number.POSITIVE_INFINITY);
}

/** After a 1006: half the dropped connection's lifespan, clamped (10–120 s by default). */
export function activityTimeoutAfterDrop(
  lifespanMs: number,
  options: Omit<ActivityTimeoutOptions, 'activityTimeout'>,
): number {
  return Math.min(options.maxActivityTimeoutMs, Math.max(options.minActivityTimeoutMs, lifespanMs / 2));
}

export interface HeartbeatHandlers {
  /** Send `pusher:ping`. */
  ping(): void;
  /** Nothing arrived within the pong timeout after a ping. */
  dead(): void;
}

/**
 * Pings after `activityTimeoutMs` without inbound frames and declares the connection dead when
 * nothing (a pong or any other frame) arrives within the pong timeout. Any inbound frame counts.
 */
export class Heartbeat {
  #activityMs = 0;
  #timer: TimerHandle = null;
  #awaitingPong = false;
  #running = false;
  readonly #clock: ClientClock;
  readonly #options: HeartbeatOptions;
  readonly #handlers: HeartbeatHandlers;

  constructor(clock: ClientClock, options: HeartbeatOptions, handlers: HeartbeatHandlers) {
    this.#clock = clock;
    this.#options = options;
    this.#handlers = handlers;
  }

  start(activityTimeoutMs: number): void {
    this.#activityMs = activityTimeoutMs;
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    this.#awaitingPong = false;
    this.#clear();
  }

  /** An inbound frame arrived. */
  activity(): void {
    if (!this.#running) return;
    this.#awaitingPong = false;
    this.#arm();
  }

  /** Check liveness now (page visible again, network changed): ping at once. */
  checkNow(): void {
    if (!this.#running || this.#awaitingPong) return;
    this.#sendPing();
  }

  get activityTimeoutMs(): number {
    return this.#activityMs;
  }

  #arm(): void {
    this.#clear();
    this.#timer = this.#clock.setTimeout(() => this.#sendPing(), this.#activityMs);
  }

  #sendPing(): void {
    this.#clear();
    this.#awaitingPong = true;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      if (!this.#running) return;
      this.stop();
      this.#handlers.dead();
    }, this.#options.pongTimeout);
    this.#handlers.ping();
  }

  #clear(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
