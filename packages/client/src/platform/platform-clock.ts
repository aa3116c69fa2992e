import type { ClientClock } from './platform.js';

type TimerFunctions = {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
};

/** The real clock, from the runtime's own timer functions (passed in, never reached for). */
export function timerClock(timers: TimerFunctions, now: () => number): ClientClock {
  return {
    now,
    setTimeout: (callback, ms) => timers.setTimeout(callback, ms),
    clearTimeout: (handle) => timers.clearTimeout(handle as never),
  };
}
