/** Runs a callback once the current turn of the event loop has done its I/O (production: `setImmediate`). */
export type DeferToEndOfTurn = (run: () => void) => void;

// Resolved at call time, so fake timers in tests see it.
export const deferToImmediate: DeferToEndOfTurn = (run) => {
  setImmediate(run);
};

/**
 * Items added during one turn of the event loop, each handed to `settle` at the end of that turn with
 * one deferred callback for all of them (not one per item). Every item is settled even if one throws;
 * the first failure is rethrown afterwards, as it would have surfaced from its own callback.
 */
export class EndOfTurn<T> {
  private due: T[] = [];
  private scheduled = false;

  constructor(
    private readonly settle: (item: T) => void,
    private readonly defer: DeferToEndOfTurn = deferToImmediate,
  ) {}

  /** Settles `item` at the end of this turn, together with every other one added in it; add each once per turn. */
  add(item: T): void {
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
        this.settle(item);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  };
}
