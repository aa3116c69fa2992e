import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock, type Clock } from '../clock.js';
import { ExpiryQueue, ExpiryQueues } from './http-expiry-queue.js';

class Entry {
  expired = 0;
  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {}
  expire(): void {
    this.expired += 1;
    this.log.push(this.name);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ExpiryQueue', () => {
  it('expires each entry exactly ms after it was added, in order, on one timer', () => {
    const log: string[] = [];
    const queue = new ExpiryQueue(systemClock, 1_000);
    const a = new Entry('a', log);
    const b = new Entry('b', log);
    const c = new Entry('c', log);
    queue.add(a);
    vi.advanceTimersByTime(300);
    queue.add(b);
    queue.add(c);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(699);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['a']);
    vi.advanceTimersByTime(299);
    expect(log).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(queue.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a removed entry never expires, and an empty queue holds no timer', () => {
    const log: string[] = [];
    const queue = new ExpiryQueue(systemClock, 1_000);
    const a = new Entry('a', log);
    const b = new Entry('b', log);
    queue.add(a);
    queue.add(b);
    queue.remove(a);
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual(['b']);
    queue.add(a);
    queue.remove(a);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(log).toEqual(['b']);
  });

  it('adding an entry again moves its deadline behind the others', () => {
    const log: string[] = [];
    const queue = new ExpiryQueue(systemClock, 1_000);
    const a = new Entry('a', log);
    const b = new Entry('b', log);
    queue.add(a);
    vi.advanceTimersByTime(500);
    queue.add(b);
    queue.add(a);
    vi.advanceTimersByTime(500);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(log).toEqual(['b', 'a']);
    expect(a.expired).toBe(1);
  });

  it('an entry added again while it expires waits a whole period', () => {
    const log: string[] = [];
    const queue = new ExpiryQueue(systemClock, 1_000);
    const again = { expire: () => (log.push('again'), log.length < 3 && queue.add(again)) };
    queue.add(again);
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual(['again']);
    vi.advanceTimersByTime(999);
    expect(log).toEqual(['again']);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['again', 'again']);
  });

  it('keeps deadline order when the clock steps back', () => {
    const log: string[] = [];
    let now = 10_000;
    const clock: Clock = { ...systemClock, now: () => now };
    const queue = new ExpiryQueue(clock, 1_000);
    queue.add(new Entry('first', log));
    now = 5_000; // wall clock stepped back
    queue.add(new Entry('second', log));
    now = 11_000;
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual(['first', 'second']);
  });

  it('removing entries at the head, in the middle and at the tail keeps the others in order', () => {
    const log: string[] = [];
    const queue = new ExpiryQueue(systemClock, 1_000);
    const entries = ['a', 'b', 'c', 'd', 'e'].map((name) => new Entry(name, log));
    for (const entry of entries) queue.add(entry);
    queue.remove(entries[0]!);
    queue.remove(entries[2]!);
    queue.remove(entries[4]!);
    queue.remove(entries[2]!); // not held any more: nothing happens
    expect(queue.size).toBe(2);
    queue.add(entries[2]!);
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual(['b', 'd', 'c']);
    expect(queue.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an entry is in one queue at a time: adding it to another takes it out of the first', () => {
    const log: string[] = [];
    const short = new ExpiryQueue(systemClock, 1_000);
    const long = new ExpiryQueue(systemClock, 5_000);
    const a = new Entry('a', log);
    short.add(a);
    long.add(a);
    long.remove(new Entry('never added', log)); // an entry another queue does not hold: nothing happens
    short.remove(a); // held by the other queue now: nothing happens
    expect([short.size, long.size]).toEqual([0, 1]);
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(4_000);
    expect(log).toEqual(['a']);
    expect(a.expired).toBe(1);
  });

  it('an entry that removes a later entry while expiring keeps it from expiring in the same pass', () => {
    const log: string[] = [];
    const queue = new ExpiryQueue(systemClock, 1_000);
    const later = new Entry('later', log);
    const first = { expire: () => (log.push('first'), queue.remove(later)) };
    queue.add(first);
    queue.add(later);
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual(['first']);
    expect(queue.size).toBe(0);
  });

  it('ExpiryQueues keeps one queue per duration', () => {
    const queues = new ExpiryQueues(systemClock);
    expect(queues.for(25_000)).toBe(queues.for(25_000));
    expect(queues.for(25_000)).not.toBe(queues.for(20_000));
    expect(queues.for(20_000).ms).toBe(20_000);
  });
});
