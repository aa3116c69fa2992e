import type { Clock, Timer } from './clock.js';

export interface HeartbeatOptions {
  /** Time between protocol pings: below the 60 s idle timeout of nginx and most load balancers. */
  intervalMs: number;
  /** How long a ping may go unanswered before the peer counts as dead. */
  timeoutMs: number;
}

export interface HeartbeatHooks {
  /** Sends one protocol-level ping; `onPong` runs when its answer (or any pong) arrives. */
  ping(onPong: () => void): void;
  /** The peer did not answer in time. Called once; the heartbeat is stopped by then. */
  dead(): void;
}

/**
 * Server-side liveness for transports that support protocol pings (WebSocket). Every `intervalMs` a
 * ping goes out; if no pong comes back within `timeoutMs` the peer is declared dead. Any inbound
 * frame also proves the peer alive and cancels a pending deadline.
 */
export class Heartbeat {
  private interval: Timer | undefined;
  private deadline: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: HeartbeatOptions,
    private readonly hooks: HeartbeatHooks,
  ) {}

  start(): void {
    if (this.stopped || this.interval !== undefined) return;
    this.interval = this.clock.setInterval(() => this.beat(), this.options.intervalMs);
  }

  /** The peer showed a sign of life (a frame or a pong). */
  alive(): void {
    if (this.deadline === undefined) return;
    this.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearInterval(this.interval);
    this.clock.clearTimeout(this.deadline);
    this.interval = undefined;
    this.deadline = undefined;
  }

  private beat(): void {
    if (this.stopped || this.deadline !== undefined) return;
    this.deadline = this.clock.setTimeout(() => {
      this.deadline = undefined;
      if (this.stopped) return;
      this.stop();
      this.hooks.dead();
    }, this.options.timeoutMs);
    this.hooks.ping(() => this.alive());
  }
}
