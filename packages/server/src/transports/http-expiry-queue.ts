import type { Clock, Timer } from '../clock.js';

/** An entry of an ExpiryQueue: told once when its time is up. */
export interface Expiring {
  expire(): void;
}

/**
 * Deadlines that all lie the same `ms` after they were set (held polls, session collection), on one
 * timer instead of one per entry. Entries expire in the order they were added, which for a fixed
 * duration is deadline order, so the queue is a Map in insertion order and the timer always waits for
 * its first entry. Adding an entry again moves its deadline; removing it is O(1).
 */
export class ExpiryQueue {
  private readonly deadlines = new Map<Expiring, number>();
  private timer: Timer | undefined;
  private armedFor = 0;
  private last = 0;
  private firing = false;

  constructor(
    private readonly clock: Clock,
    readonly ms: number,
  ) {}

  get size(): number {
    return this.deadlines.size;
  }

  /** `entry.expire()` runs `ms` from now, unless it is removed or added again first. */
  add(entry: Expiring): void {
    // Never earlier than the entry before it, so insertion order stays deadline order if the clock steps back.
    // At least 1 ms: an entry re-added while the queue fires never comes due in the same pass.
    const at = Math.max(this.clock.now() + Math.max(1, this.ms), this.last);
    this.last = at;
    this.deadlines.delete(entry);
    this.deadlines.set(entry, at);
    if (this.timer === undefined && !this.firing) this.arm(at);
  }

  remove(entry: Expiring): void {
    if (!this.deadlines.delete(entry) || this.deadlines.size > 0) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(at: number): void {
    this.armedFor = at;
    this.timer = this.clock.setTimeout(this.fire, Math.max(0, at - this.clock.now()));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    // A real timer may fire a little before the wall clock reaches its deadline.
    const now = Math.max(this.clock.now(), this.armedFor);
    this.firing = true;
    try {
      for (const [entry, at] of this.deadlines) {
        if (at > now) break;
        this.deadlines.delete(entry);
        entry.expire();
      }
    } finally {
      this.firing = false;
      const next = this.deadlines.values().next();
      if (!next.done && this.timer === undefined) this.arm(next.value);
    }
  };
}

/** One ExpiryQueue per duration, made on first use. */
export class ExpiryQueues {
  private readonly queues = new Map<number, ExpiryQueue>();

  constructor(private readonly clock: Clock) {}

  for(ms: number): ExpiryQueue {
    let queue = this.queues.get(ms);
    if (queue === undefined) {
      queue = new ExpiryQueue(this.clock, ms);
      this.queues.set(ms, queue);
    }
    return queue;
  }
}
