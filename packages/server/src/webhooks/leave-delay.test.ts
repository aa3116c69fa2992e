import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import { LeaveDelay } from './leave-delay.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LeaveDelay', () => {
  it('fires a leave after the delay', () => {
    const delay = new LeaveDelay(systemClock, 3000);
    const fired = vi.fn();
    delay.leave('a', fired);
    vi.advanceTimersByTime(2999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(delay.size).toBe(0);
  });

  it('an enter within the delay cancels the leave and reports it', () => {
    const delay = new LeaveDelay(systemClock, 3000);
    const fired = vi.fn();
    delay.leave('a', fired);
    vi.advanceTimersByTime(2000);
    expect(delay.enter('b')).toBe(false);
    expect(delay.enter('a')).toBe(true);
    expect(delay.enter('a')).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(fired).not.toHaveBeenCalled();
  });

  it('a second leave replaces the first', () => {
    const delay = new LeaveDelay(systemClock, 3000);
    const first = vi.fn();
    const second = vi.fn();
    delay.leave('a', first);
    vi.advanceTimersByTime(2000);
    delay.leave('a', second);
    vi.advanceTimersByTime(2000);
    expect(first).not.toHaveBeenCalled();
    expect(second).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('flush fires every pending leave now', () => {
    const delay = new LeaveDelay(systemClock, 3000);
    const fired: string[] = [];
    delay.leave('a', () => fired.push('a'));
    delay.leave('b', () => fired.push('b'));
    delay.flush();
    expect(fired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual(['a', 'b']);
  });

  it('with no delay fires at once', () => {
    const delay = new LeaveDelay(systemClock, 0);
    const fired = vi.fn();
    delay.leave('a', fired);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(delay.enter('a')).toBe(false);
  });
});
