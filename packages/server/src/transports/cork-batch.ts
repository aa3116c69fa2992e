/** Runs a callback once the current turn of the event loop has done its I/O (production: `setImmediate`). */
export type DeferToEndOfTurn = (run: () => void) => void;

/** A corked socket: an object with a method, so a connection needs no closure of its own to join a batch. */
export interface Uncorkable {
  uncork(): void;
}

/**
 * Uncorks, at the end of the current turn of the event loop, every socket corked during it: one
 * deferred callback for all of them. A fan-out burst (several client events read in one chunk, several
 * API requests handled in one poll phase) then reaches the kernel as one write per connection, not one
 * per message per connection.
 */
export class CorkBatch {
  private pending: Uncorkable[] = [];
  private scheduled = false;

  constructor(private readonly defer: DeferToEndOfTurn = setImmediate) {}

  /** Calls `target.uncork()` at the end of this turn, together with every other one added in it. */
  add(target: Uncorkable): void {
    this.pending.push(target);
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const due = this.pending;
    this.pending = [];
    for (const target of due) target.uncork();
  };
}

/** The process's batch: one event loop, one end of turn. */
export const endOfTurnCorkBatch = new CorkBatch();
