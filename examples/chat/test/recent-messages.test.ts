import { describe, expect, it } from 'vitest';
import { RecentMessages, type ChatMessage } from '../src/recent-messages.js';

const msg = (room: string, n: number): ChatMessage => ({
  id: `${room}-${n}`,
  room,
  userId: 'user-0001',
  name: 'Ann',
  text: `#${n}`,
  at: n,
});

describe('RecentMessages', () => {
  it('keeps the last perRoom messages of a room, oldest first', () => {
    const history = new RecentMessages({ perRoom: 3, rooms: 10 });
    for (let n = 1; n <= 5; n += 1) history.add(msg('a', n));
    expect(history.of('a').map((m) => m.id)).toEqual(['a-3', 'a-4', 'a-5']);
    expect(history.of('b')).toEqual([]);
  });

  it('forgets the room written to least recently when there are too many rooms', () => {
    const history = new RecentMessages({ perRoom: 3, rooms: 2 });
    history.add(msg('a', 1));
    history.add(msg('b', 1));
    history.add(msg('a', 2));
    history.add(msg('c', 1));
    expect(history.roomCount).toBe(2);
    expect(history.of('b')).toEqual([]);
    expect(history.of('a').map((m) => m.id)).toEqual(['a-1', 'a-2']);
    expect(history.of('c').map((m) => m.id)).toEqual(['c-1']);
  });

  it('hands out copies', () => {
    const history = new RecentMessages({ perRoom: 3, rooms: 2 });
    history.add(msg('a', 1));
    history.of('a').pop();
    expect(history.of('a')).toHaveLength(1);
  });
});
