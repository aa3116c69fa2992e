import { describe, expect, it } from 'vitest';
import { ClientEventQueue, type QueuedClientEvent } from './client-event-queue.js';

const entry = (channel: string, n: number): QueuedClientEvent => ({ channel, event: 'client-x', data: n });

describe('ClientEventQueue', () => {
  it('refuses entries beyond its size', () => {
    const queue = new ClientEventQueue(2);
    expect(queue.push(entry('a', 1))).toBe(true);
    expect(queue.push(entry('a', 2))).toBe(true);
    expect(queue.push(entry('a', 3))).toBe(false);
    expect(queue.size).toBe(2);
  });

  it('flushes in order, keeping a channel that is not ready (and everything after it on that channel)', () => {
    const queue = new ClientEventQueue(10);
    [entry('a', 1), entry('b', 2), entry('a', 3), entry('b', 4)].forEach((e) => queue.push(e));
    const sent: unknown[] = [];
    expect(
      queue.flush(
        (c) => c === 'a',
        (e) => sent.push(e.data) > 0,
      ),
    ).toBe(2);
    expect(sent).toEqual([1, 3]);
    expect(queue.has('b')).toBe(true);
    expect(queue.has('a')).toBe(false);
    queue.flush(
      () => true,
      (e) => sent.push(e.data) > 0,
    );
    expect(sent).toEqual([1, 3, 2, 4]);
    expect(queue.size).toBe(0);
  });

  it('stops at the first refused send and keeps the rest in order', () => {
    const queue = new ClientEventQueue(10);
    [entry('a', 1), entry('a', 2), entry('b', 3)].forEach((e) => queue.push(e));
    const sent: unknown[] = [];
    let budget = 1;
    queue.flush(
      () => true,
      (e) => (budget-- > 0 ? sent.push(e.data) > 0 : false),
    );
    expect(sent).toEqual([1]);
    queue.flush(
      () => true,
      (e) => sent.push(e.data) > 0,
    );
    expect(sent).toEqual([1, 2, 3]);
  });

  it('drops a channel', () => {
    const queue = new ClientEventQueue(10);
    [entry('a', 1), entry('b', 2), entry('a', 3)].forEach((e) => queue.push(e));
    expect(queue.drop('a')).toBe(2);
    expect(queue.size).toBe(1);
  });
});
