import type { Clock } from './clock.js';

/**
 * A token bucket on the injected clock: `ratePerSecond` tokens refill per second, up to `ratePerSecond`
 * stored, so a client may burst one second's worth and then sustain the rate. 0 or less = unlimited.
 */
export class ClientEventLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly ratePerSecond: number,
  ) {
    this.tokens = ratePerSecond;
    this.last = clock.now();
  }

  /** Takes one token; false when the bucket is empty (the event is rejected with 4301). */
  tryTake(): boolean {
    if (this.ratePerSecond <= 0) return true;
    const now = this.clock.now();
    const elapsedMs = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(
      this.ratePerSecond,
      this.tokens + (elapsedMs * this.ratePerSecond) / MS_PER_SECOND,
    );
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const MS_PER_SECOND = 1000;
