import type { Clock, Timer } from '../clock.js';

/**
 * An entry of an ExpiryQueue: told once when its time is up. The `expiry*` fields are the queue's
 * bookkeeping (its deadline and its neighbours in the queue), touched by nothing else; a class whose
 * instances are added often declares them (`= null` / `= 0`) so that adding never changes its shape.
 * An entry is in at most one queue at a time.
 */
export interface Expiring {
  expire(): void;
  expiryQueue?: ExpiryQueue | null;
  expiryPrev?: Expiring | null;
  expiryNext?: Expiring | null;
  expiryAt?: number;
}

/**
 * Deadlines that all lie the same `ms` after they were set (held polls, session collection), on one
 * timer instead of one per entry. Entries expire in the order they were added, which for a fixed
 * duration is deadline order, so the queue is a list in insertion order and the timer always waits for
 * its first entry. Adding an entry again moves its deadline; removing it is O(1). The list is linked
 * through the entries themselves: adding and removing (twice per poll) neither hashes nor allocates.
 */
export class ExpiryQueue {
  private head: Expiring | null = null;
  private tail: Expiring | null = null;
  private count = 0;
  private timer: Timer | undefined;
  private armedFor = 0;
  private last = 0;
  private firing = false;

  constructor(
    private readonly clock: Clock,
    readonly ms: number,
  ) {}

  get size(): number {
    return this.count;
  }

  /** `entry.expire()` runs `ms` from now, unless it is removed or added again first. */
  add(entry: Expiring): void {
    // Never earlier than the entry before it, so insertion order stays deadline order if the clock steps back.
    // At least 1 ms: an entry re-added while the queue fires never comes due in the same pass.
    const at = Math.max(this.clock.now() + Math.max(1, this.ms), this.last);
    this.last = at;
    if (entry.expiryQueue === this) this.unlink(entry);
    else entry.expiryQueue?.remove(entry);
    entry.expiryQueue = this;
    entry.expiryAt = at;
    entry.expiryNext = null;
    entry.expiryPrev = this.tail;
    if (this.tail === null) this.head = entry;
    else this.tail.expiryNext = entry;
    this.tail = entry;
    this.count += 1;
    if (this.timer === undefined && !this.firing) this.arm(at);
  }

  remove(entry: Expiring): void {
    if (entry.expiryQueue !== this) return;
    this.unlink(entry);
    if (this.count > 0) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private unlink(entry: Expiring): void {
    const prev = entry.expiryPrev ?? null;
    const next = entry.expiryNext ?? null;
    if (prev === null) this.head = next;
    else prev.expiryNext = next;
    if (next === null) this.tail = prev;
    else next.expiryPrev = prev;
    entry.expiryQueue = null;
    entry.expiryPrev = null;
    entry.expiryNext = null;
    this.count -= 1;
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
      for (let entry = this.head; entry !== null && (entry.expiryAt ?? 0) <= now; entry = this.head) {
        this.unlink(entry);
        entry.expire();
      }
    } finally {
      this.firing = false;
      if (this.head !== null && this.timer === undefined) this.arm(this.head.expiryAt ?? 0);
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
