import type { Clock, Timer } from './clock.js';

export interface HeartbeatOptions {
  /** Time between protocol pings: below the 60 s idle timeout of nginx and most load balancers. */
  intervalMs: number;
  /** How long a ping may go unanswered before the peer counts as dead. */
  timeoutMs: number;
}

/**
 * One connection the sweep watches. Its state is a single small integer kept on the peer itself, so
 * watching a connection costs no timer, closure or entry of its own.
 */
export interface HeartbeatPeer {
  /**
   * The number of the sweep whose ping is still unanswered, 0 when none. The sweep sets it when it pings;
   * the peer resets it to 0 on any sign of life (a pong or any inbound frame). A negative value takes the
   * peer out of the sweep for good (it ended, or was declared dead).
   */
  unansweredPing: number;
  /** Sends one protocol-level ping; false when the peer cannot be pinged (HTTP transports, a closed peer). */
  ping(): boolean;
  /** The peer did not answer in time; `unansweredPing` is already negative (no more pings). */
  unresponsive(): void;
}

/**
 * Server-side liveness for every connection whose transport supports protocol pings (WebSocket), with
 * one timer for all of them instead of one per connection. Every `intervalMs` the sweep pings each
 * peer that has no ping outstanding, and `timeoutMs` later declares dead those that have shown no sign
 * of life since. A peer that goes silent is therefore declared dead at most `intervalMs + timeoutMs`
 * after its last sign of life, the same bound as a per-connection timer started at connect.
 */
export class HeartbeatSweep {
  private interval: Timer | undefined;
  private readonly deadlines = new Set<Timer>();
  private sweeps = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: HeartbeatOptions,
    /** The peers to watch, read afresh at every sweep (the server's live sessions). */
    private readonly peers: () => Iterable<HeartbeatPeer>,
  ) {}

  get running(): boolean {
    return this.interval !== undefined;
  }

  /** Starts sweeping; a no-op while running. */
  start(): void {
    if (this.interval !== undefined) return;
    this.interval = this.clock.setInterval(() => this.sweep(), this.options.intervalMs);
  }

  /** Stops sweeping and drops every pending deadline (no peer is declared dead afterwards). */
  stop(): void {
    this.clock.clearInterval(this.interval);
    this.interval = undefined;
    for (const deadline of this.deadlines) this.clock.clearTimeout(deadline);
    this.deadlines.clear();
  }

  private sweep(): void {
    // Sweep numbers stay small integers (never 0, the "none outstanding" mark).
    this.sweeps = this.sweeps >= MAX_SWEEP ? 1 : this.sweeps + 1;
    const sweep = this.sweeps;
    let pinged = false;
    for (const peer of this.peers()) {
      if (peer.unansweredPing !== 0) continue;
      // Marked first: a pong may come back before `ping()` returns (an in-process peer, a test).
      peer.unansweredPing = sweep;
      if (peer.ping()) pinged = true;
      else if (peer.unansweredPing === sweep) peer.unansweredPing = 0;
    }
    if (!pinged) return;
    const deadline = this.clock.setTimeout(() => {
      this.deadlines.delete(deadline);
      this.expire(sweep);
    }, this.options.timeoutMs);
    this.deadlines.add(deadline);
  }

  private expire(sweep: number): void {
    const dead: HeartbeatPeer[] = [];
    for (const peer of this.peers()) if (peer.unansweredPing === sweep) dead.push(peer);
    for (const peer of dead) {
      if (peer.unansweredPing !== sweep) continue;
      peer.unansweredPing = HEARTBEAT_STOPPED;
      peer.unresponsive();
    }
  }
}

/** The `unansweredPing` of a peer the sweep no longer watches. */
export const HEARTBEAT_STOPPED = -1;

/** Well inside V8's small-integer range, so the per-peer mark never becomes a boxed number. */
const MAX_SWEEP = 0x3fff_ffff;
