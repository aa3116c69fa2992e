import { EndOfTurn, type DeferToEndOfTurn } from '../end-of-turn.js';

/** A corked socket: an object with a method, so a connection needs no closure of its own to join a batch. */
export interface Uncorkable {
  uncork(): void;
}

const uncork = (target: Uncorkable): void => target.uncork();

/**
 * Uncorks, at the end of the current turn of the event loop, every socket corked during it: one
 * deferred callback for all of them. A fan-out burst (several client events read in one chunk, several
 * API requests handled in one poll phase) then reaches the kernel as one write per connection, not one
 * per message per connection.
 */
export class CorkBatch extends EndOfTurn<Uncorkable> {
  constructor(defer?: DeferToEndOfTurn) {
    super(uncork, defer);
  }
}

/** The process's batch: one event loop, one end of turn. */
export const endOfTurnCorkBatch = new CorkBatch();
