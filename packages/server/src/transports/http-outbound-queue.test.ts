import { describe, expect, it } from 'vitest';
import { OutboundQueue } from './http-outbound-queue.js';

describe('OutboundQueue', () => {
  it('numbers frames from 0 and hands them out in order', () => {
    const queue = new OutboundQueue({ maxFrames: 10, maxBytes: 1000 });
    expect(queue.push('a')).toBe(true);
    expect(queue.push('b')).toBe(true);
    expect(queue.push('c')).toBe(true);
    expect([queue.base, queue.next, queue.length]).toEqual([0, 3, 3]);
    expect(queue.from(1)).toEqual(['b', 'c']);
    expect(queue.from(0)).toEqual(['a', 'b', 'c']);
    expect(queue.from(3)).toEqual([]);
  });

  it('drops acknowledged frames and keeps the numbering', () => {
    const queue = new OutboundQueue({ maxFrames: 10, maxBytes: 1000 });
    for (const f of ['a', 'b', 'c', 'd']) queue.push(f);
    queue.dropBefore(2);
    expect([queue.base, queue.next, queue.length, queue.bytes]).toEqual([2, 4, 2, 2]);
    expect(queue.from(0)).toEqual(['c', 'd']);
    expect(queue.from(3)).toEqual(['d']);
    queue.dropBefore(1);
    expect(queue.base).toBe(2);
    queue.dropBefore(99);
    expect([queue.base, queue.next, queue.length, queue.bytes]).toEqual([4, 4, 0, 0]);
    queue.push('e');
    expect(queue.from(4)).toEqual(['e']);
  });

  it('starts over once every frame is acknowledged, keeping the numbering and the byte count', () => {
    const queue = new OutboundQueue({ maxFrames: 3, maxBytes: 1000 });
    for (let round = 0; round < 5; round += 1) {
      expect(queue.push('ab')).toBe(true);
      expect(queue.push('c')).toBe(true);
      expect(queue.from(round * 2)).toEqual(['ab', 'c']);
      queue.dropBefore((round + 1) * 2);
      expect([queue.base, queue.next, queue.length, queue.bytes]).toEqual([
        (round + 1) * 2,
        (round + 1) * 2,
        0,
        0,
      ]);
      expect(queue.from(queue.next)).toEqual([]);
    }
    // The frame bound still counts only what is held.
    expect([queue.push('x'), queue.push('y'), queue.push('z'), queue.push('w')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('a list it handed out is not changed by later pushes or drops', () => {
    const queue = new OutboundQueue({ maxFrames: 10, maxBytes: 1000 });
    queue.push('a');
    const handed = queue.from(0);
    queue.dropBefore(1);
    queue.push('b');
    expect(handed).toEqual(['a']);
    expect(queue.from(1)).toEqual(['b']);
  });

  it('takeAll empties the queue', () => {
    const queue = new OutboundQueue({ maxFrames: 10, maxBytes: 1000 });
    queue.push('x');
    queue.push('y');
    expect(queue.takeAll()).toEqual(['x', 'y']);
    expect([queue.length, queue.bytes, queue.next]).toEqual([0, 0, 2]);
    expect(queue.takeAll()).toEqual([]);
  });

  it('refuses a frame past the frame bound', () => {
    const queue = new OutboundQueue({ maxFrames: 2, maxBytes: 1000 });
    expect(queue.push('a')).toBe(true);
    expect(queue.push('b')).toBe(true);
    expect(queue.push('c')).toBe(false);
    expect(queue.length).toBe(2);
    queue.dropBefore(1);
    expect(queue.push('c')).toBe(true);
  });

  it('refuses a frame past the byte bound, counting UTF-8 bytes', () => {
    const queue = new OutboundQueue({ maxFrames: 100, maxBytes: 10 });
    expect(queue.push('ééé')).toBe(true); // 6 bytes
    expect(queue.bytes).toBe(6);
    expect(queue.push('abcde')).toBe(false);
    expect(queue.push('abcd')).toBe(true);
    expect(queue.bytes).toBe(10);
  });

  it('compacts its storage as frames are dropped', () => {
    const queue = new OutboundQueue({ maxFrames: 100_000, maxBytes: 10_000_000 });
    for (let i = 0; i < 10_000; i += 1) {
      queue.push(String(i));
      queue.dropBefore(queue.next - 1);
    }
    expect(queue.length).toBe(1);
    expect(queue.from(0)).toEqual(['9999']);
    expect((queue as unknown as { frames: string[] }).frames.length).toBeLessThanOrEqual(2);
  });

  it('counts the UTF-8 size of a frame shared by a fan-out right in every queue', () => {
    const queues = [0, 1, 2].map(() => new OutboundQueue({ maxFrames: 10, maxBytes: 20 }));
    const frame = 'héllo wörld €'; // 13 characters, 17 bytes
    for (const queue of queues) expect(queue.push(frame)).toBe(true);
    for (const queue of queues) expect(queue.bytes).toBe(17);
    expect(queues[0]!.push('1234')).toBe(false);
    expect(queues[1]!.push('abc')).toBe(true);
    expect(queues[1]!.bytes).toBe(20);
    expect(queues[2]!.push(frame)).toBe(false);
  });
});
