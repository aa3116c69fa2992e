import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from './clock.js';
import { ClientEventLimiter } from './client-event-limiter.js';

function clockAt(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { ...systemClock, now: () => now, advance: (ms) => (now += ms) };
}

const takeMany = (limiter: ClientEventLimiter, n: number): number => {
  let taken = 0;
  for (let i = 0; i < n; i += 1) if (limiter.tryTake()) taken += 1;
  return taken;
};

describe('ClientEventLimiter', () => {
  it('allows a burst of one second worth, then refuses', () => {
    const limiter = new ClientEventLimiter(clockAt(0), 10);
    expect(takeMany(limiter, 15)).toBe(10);
  });

  it('refills at the rate on the injected clock', () => {
    const clock = clockAt(0);
    const limiter = new ClientEventLimiter(clock, 10);
    takeMany(limiter, 10);
    clock.advance(100);
    expect(takeMany(limiter, 5)).toBe(1);
    clock.advance(10_000);
    expect(takeMany(limiter, 50)).toBe(10);
  });

  it('sustains the rate over time', () => {
    const clock = clockAt(0);
    const limiter = new ClientEventLimiter(clock, 10);
    let taken = takeMany(limiter, 10);
    for (let i = 0; i < 100; i += 1) {
      clock.advance(100);
      taken += takeMany(limiter, 3);
    }
    expect(taken).toBe(110);
  });

  it('0 means unlimited', () => {
    expect(takeMany(new ClientEventLimiter(clockAt(0), 0), 1000)).toBe(1000);
  });
});
