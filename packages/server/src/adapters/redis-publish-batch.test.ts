import { describe, expect, it } from 'vitest';
import { manualTurn } from '../../test/support/manual-turn.js';
import { RedisPublishBatch } from './redis-publish-batch.js';

/** A batch whose end of turn runs when the test says, and whose sends are recorded and settled by hand. */
function setUp(maxBytes = 1_000) {
  const turn = manualTurn();
  const sent: { payload: string; settle: () => void }[] = [];
  const batch = new RedisPublishBatch({
    maxBytes,
    defer: turn.defer,
    send: (payload) => new Promise<void>((settle) => sent.push({ payload, settle })),
  });
  return { batch, sent, endTurn: turn.end };
}

/** Lets every queued microtask run (a macrotask comes after all of them). */
const microtasksDone = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RedisPublishBatch', () => {
  it('sends the records of one turn as one payload, in order, at the end of the turn', () => {
    const { batch, sent, endTurn } = setUp();
    void batch.add('a');
    void batch.add('b');
    void batch.add('c');
    expect(sent).toHaveLength(0);
    endTurn();
    expect(sent.map((entry) => entry.payload)).toEqual(['abc']);
  });

  it('resolves every add of a batch when its publish is answered, not before', async () => {
    const { batch, sent, endTurn } = setUp();
    let settled = 0;
    const adds = [batch.add('a'), batch.add('b')];
    for (const add of adds) void add.then(() => (settled += 1));
    endTurn();
    await microtasksDone();
    expect(settled).toBe(0);
    sent[0]!.settle();
    await Promise.all(adds);
    expect(settled).toBe(2);
  });

  it('starts a new batch each turn', () => {
    const { batch, sent, endTurn } = setUp();
    void batch.add('a');
    endTurn();
    void batch.add('b');
    endTurn();
    expect(sent.map((entry) => entry.payload)).toEqual(['a', 'b']);
  });

  it('sends at once when the next record would make the batch larger than maxBytes', () => {
    const { batch, sent, endTurn } = setUp(5);
    void batch.add('abc');
    void batch.add('de');
    expect(sent).toHaveLength(0);
    void batch.add('f');
    expect(sent.map((entry) => entry.payload)).toEqual(['abcde']);
    endTurn();
    expect(sent.map((entry) => entry.payload)).toEqual(['abcde', 'f']);
  });

  it('sends a single record larger than maxBytes on its own', () => {
    const { batch, sent, endTurn } = setUp(2);
    void batch.add('abcdef');
    endTurn();
    expect(sent.map((entry) => entry.payload)).toEqual(['abcdef']);
  });

  it('flush sends what is queued now, and the end of the turn sends only what came after', () => {
    const { batch, sent, endTurn } = setUp();
    void batch.add('a');
    batch.flush();
    void batch.add('b');
    endTurn();
    expect(sent.map((entry) => entry.payload)).toEqual(['a', 'b']);
  });

  it('drop forgets the queue and resolves its adds without sending', async () => {
    const { batch, sent, endTurn } = setUp();
    const pending = batch.add('a');
    batch.drop();
    endTurn();
    expect(sent).toHaveLength(0);
    await expect(pending).resolves.toBeUndefined();
  });
});
