import { randomInt } from 'node:crypto';
import { formatSocketId } from '@tether/protocol';

/**
 * Socket ids are `{node}.{n}` (spec §5.4): two unsigned decimal integers. The first half is drawn once per
 * node from a crypto RNG, so two nodes of a cluster do not share it; the second half is random per
 * connection and re-drawn while it is in use on this node. Both halves stay below 2^47 so they are
 * exact in a JavaScript number and in every SDK that parses them.
 */
export const socketIdDefaults = {
  /** Exclusive upper bound of each half (Node's randomInt accepts ranges below 2^48). */
  maxHalf: 2 ** 47,
  /** Re-draws before giving up on a collision-free id (never reached in practice). */
  maxAttempts: 16,
} as const;

export type RandomInt = (minInclusive: number, maxExclusive: number) => number;

export interface SocketIdFactory {
  /** The node half every id of this node starts with. */
  readonly nodeId: number;
  next(isTaken: (socketId: string) => boolean): string;
}

export function createSocketIdFactory(
  options: { nodeId?: number; random?: RandomInt } = {},
): SocketIdFactory {
  const random = options.random ?? randomInt;
  const nodeId = options.nodeId ?? random(1, socketIdDefaults.maxHalf);
  return {
    nodeId,
    next(isTaken) {
      let id = formatSocketId(nodeId, random(0, socketIdDefaults.maxHalf));
      for (let attempt = 1; attempt < socketIdDefaults.maxAttempts && isTaken(id); attempt += 1) {
        id = formatSocketId(nodeId, random(0, socketIdDefaults.maxHalf));
      }
      return id;
    },
  };
}
