import { SOCKET_ID_PATTERN } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import { createSocketIdFactory } from './socket-id.js';

describe('socket ids', () => {
  it('match the Pusher format and share the node half', () => {
    const factory = createSocketIdFactory();
    const ids = Array.from({ length: 1000 }, () => factory.next(() => false));
    for (const id of ids) {
      expect(id).toMatch(SOCKET_ID_PATTERN);
      expect(id.split('.')[0]).toBe(String(factory.nodeId));
    }
    expect(new Set(ids).size).toBe(1000);
  });

  it('two factories (two nodes) draw different node halves', () => {
    const nodes = new Set(Array.from({ length: 50 }, () => createSocketIdFactory().nodeId));
    expect(nodes.size).toBe(50);
  });

  it('re-draws an id that is already taken', () => {
    const draws = [5, 5, 6];
    const factory = createSocketIdFactory({ nodeId: 9, random: () => draws.shift() ?? 7 });
    expect(factory.next((id) => id === '9.5')).toBe('9.6');
  });
});
