/** Runs a callback once the current turn of the event loop has done its I/O (production: `setImmediate`). */
export type DeferToEndOfTurn = (run: () => void) => void;

/** Something with output to deliver at the end of the turn (an HTTP session handed frames during it). */
export interface TurnFlushable {
  flushTurn(): void;
}

// Resolved at call time, so fake timers in tests see it.
const deferToImmediate: DeferToEndOfTurn = (run) => {
  setImmediate(run);
};

/**
 * The HTTP sessions handed frames during this turn of the event loop, delivered together at its end
 * with one deferred callback for all of them (not one per session). Every publish handled in the same
 * poll phase then reaches a stream as one write and a held poll as one answer.
 */
export class HttpTurnFlush {
  private due: TurnFlushable[] = [];
  private scheduled = false;

  constructor(private readonly defer: DeferToEndOfTurn = deferToImmediate) {}

  /** Calls `item.flushTurn()` at the end of this turn; add each item once per turn. */
  add(item: TurnFlushable): void {
    this.due.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(this.run);
  }

  private readonly run = (): void => {
    this.scheduled = false;
    const due = this.due;
    this.due = [];
    let failure: { error: unknown } | undefined;
    for (const item of due) {
      try {
        item.flushTurn();
      } catch (error) {
        failure ??= { error };
      }
    }
    // Every item was flushed; the first failure still surfaces as it would have from its own callback.
    if (failure) throw failure.error;
  };
}
