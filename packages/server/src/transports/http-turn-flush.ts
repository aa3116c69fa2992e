import { EndOfTurn, type DeferToEndOfTurn } from '../end-of-turn.js';

/** Something with output to deliver at the end of the turn (an HTTP session handed frames during it). */
export interface TurnFlushable {
  flushTurn(): void;
}

const flushTurn = (item: TurnFlushable): void => item.flushTurn();

/**
 * The HTTP sessions handed frames during this turn of the event loop, delivered together at its end
 * with one deferred callback for all of them (not one per session). Every publish handled in the same
 * poll phase then reaches a stream as one write and a held poll as one answer.
 */
export class HttpTurnFlush extends EndOfTurn<TurnFlushable> {
  constructor(defer?: DeferToEndOfTurn) {
    super(flushTurn, defer);
  }
}
