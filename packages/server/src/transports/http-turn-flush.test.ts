import { describe, expect, it } from 'vitest';
import { manualTurn } from '../../test/support/manual-turn.js';
import { HttpTurnFlush } from './http-turn-flush.js';

describe('HttpTurnFlush', () => {
  it('flushes every item added during a turn at its end, in order, with one deferred callback', () => {
    const turn = manualTurn();
    const flush = new HttpTurnFlush(turn.defer);
    const log: string[] = [];
    flush.add({ flushTurn: () => log.push('a') });
    flush.add({ flushTurn: () => log.push('b') });
    flush.add({ flushTurn: () => log.push('c') });
    expect(turn.pending).toHaveLength(1);
    expect(log).toEqual([]);
    turn.end();
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('an item added while flushing goes out at the end of the next turn', () => {
    const turn = manualTurn();
    const flush = new HttpTurnFlush(turn.defer);
    const log: string[] = [];
    flush.add({
      flushTurn: () => {
        log.push('first');
        flush.add({ flushTurn: () => log.push('later') });
      },
    });
    turn.end();
    expect(log).toEqual(['first']);
    turn.end();
    expect(log).toEqual(['first', 'later']);
  });

  it('an item that throws does not keep the others from flushing; the error still surfaces', () => {
    const turn = manualTurn();
    const flush = new HttpTurnFlush(turn.defer);
    const log: string[] = [];
    flush.add({
      flushTurn: () => {
        throw new Error('boom');
      },
    });
    flush.add({ flushTurn: () => log.push('after') });
    expect(() => turn.end()).toThrow('boom');
    expect(log).toEqual(['after']);
    flush.add({ flushTurn: () => log.push('next turn') });
    turn.end();
    expect(log).toEqual(['after', 'next turn']);
  });
});
