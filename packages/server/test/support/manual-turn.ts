import type { DeferToEndOfTurn } from '../../src/end-of-turn.js';

/** An end of turn run by hand: hand `defer` to an end-of-turn batch, then `end()` runs what it deferred. */
export function manualTurn(): { defer: DeferToEndOfTurn; pending: (() => void)[]; end: () => void } {
  const pending: (() => void)[] = [];
  return {
    defer: (run) => {
      pending.push(run);
    },
    pending,
    end: () => {
      for (const run of pending.splice(0)) run();
    },
  };
}
