import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import { StreamHeartbeats } from './http-stream-heartbeats.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('StreamHeartbeats', () => {
  it('beats every stream of a period on one interval, and stops it when the last stream goes', () => {
    const heartbeats = new StreamHeartbeats(systemClock);
    const beats = { a: 0, b: 0, c: 0 };
    const a = { beat: () => (beats.a += 1) };
    const b = { beat: () => (beats.b += 1) };
    const c = { beat: () => (beats.c += 1) };
    heartbeats.add(a, 15_000);
    vi.advanceTimersByTime(5_000);
    heartbeats.add(b, 15_000);
    heartbeats.add(c, 25_000);
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(10_000);
    // b joined mid-period: its first beat comes sooner than a full period, never later
    expect(beats).toEqual({ a: 1, b: 1, c: 0 });
    vi.advanceTimersByTime(15_000);
    expect(beats).toEqual({ a: 2, b: 2, c: 1 });
    heartbeats.remove(a, 15_000);
    heartbeats.remove(b, 15_000);
    heartbeats.remove(c, 25_000);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(beats).toEqual({ a: 2, b: 2, c: 1 });
  });
});
