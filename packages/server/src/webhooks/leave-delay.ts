import type { Clock, Timer } from '../clock.js';

/**
 * Holds a "leave" (channel vacated, member removed) for a while and drops it if the matching "enter"
 * comes back in time, so a page reload sends neither webhook (spec §6.5: Pusher waits ~3 s).
 */
export class LeaveDelay {
  private readonly pending = new Map<string, { timer: Timer; fire: () => void }>();

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
  ) {}

  /** Runs `fire` after the delay unless `enter(key)` comes first. A second leave for the same key replaces the first. */
  leave(key: string, fire: () => void): void {
    this.cancel(key);
    if (this.delayMs <= 0) {
      fire();
      return;
    }
    const timer = this.clock.setTimeout(() => {
      this.pending.delete(key);
      fire();
    }, this.delayMs);
    this.pending.set(key, { timer, fire });
  }

  /** An enter: true when it cancelled a pending leave, in which case neither should be sent. */
  enter(key: string): boolean {
    return this.cancel(key);
  }

  /** Fires every pending leave now (used on close: they were real transitions). */
  flush(): void {
    const entries = [...this.pending.values()];
    for (const entry of entries) this.clock.clearTimeout(entry.timer);
    this.pending.clear();
    for (const entry of entries) entry.fire();
  }

  get size(): number {
    return this.pending.size;
  }

  private cancel(key: string): boolean {
    const entry = this.pending.get(key);
    if (!entry) return false;
    this.clock.clearTimeout(entry.timer);
    this.pending.delete(key);
    return true;
  }
}
