import { CloseAction } from '@tether/protocol';

export interface BackoffOptions {
  backoffMinMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export interface ImmediateRetryOptions {
  immediateRetrySpacingMs: number;
  immediateRetryCapMs: number;
}

/**
 * Delay before reconnect attempt `attempt` (0 = first failure): full jitter over the window
 * [min, min(cap, base × 2^(attempt+1))]. Pure: the random source is injected, values in [0, 1).
 * Never below `backoffMinMs`, so never a zero-delay loop.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)) + 1, 52);
  const ceiling = Math.max(
    options.backoffMinMs,
    Math.min(options.backoffCapMs, options.backoffBaseMs * 2 ** exponent),
  );
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(options.backoffMinMs + r * (ceiling - options.backoffMinMs));
}

/**
 * Minimum spacing before an "immediate" retry (close codes 42xx), given how many immediate retries
 * came right before it without a stable connection: 0 for the first, then the spacing doubling up to
 * the cap. A server that answers every handshake with 4200 gets a handful of attempts, not hundreds.
 */
export function immediateRetryDelay(consecutive: number, options: ImmediateRetryOptions): number {
  if (consecutive <= 0) return 0;
  const exponent = Math.min(consecutive - 1, 52);
  return Math.min(options.immediateRetryCapMs, options.immediateRetrySpacingMs * 2 ** exponent);
}

/** What the manager does after a close: the close code's action decides, backoff only sets the pause. */
export type RetryPlan =
  | { kind: 'stop' }
  | { kind: 'immediate'; delayMs: number; switchToTls: boolean }
  | { kind: 'backoff'; delayMs: number };

export interface RetryState {
  /** Failures since the last stable connection (drives backoff). */
  failures: number;
  /** Immediate retries since the last stable connection (drives the storm bound). */
  immediate: number;
}

/** Maps a close action to the next step (spec §4.2), with our backoff and pacing in place of fixed delays. */
export function planRetry(
  action: CloseAction,
  state: RetryState,
  options: BackoffOptions & ImmediateRetryOptions,
  random: () => number,
): RetryPlan {
  switch (action) {
    case CloseAction.Refused:
      return { kind: 'stop' };
    case CloseAction.TlsOnly:
      return { kind: 'immediate', delayMs: immediateRetryDelay(state.immediate, options), switchToTls: true };
    case CloseAction.Retry:
      return {
        kind: 'immediate',
        delayMs: immediateRetryDelay(state.immediate, options),
        switchToTls: false,
      };
    case CloseAction.Backoff:
    case CloseAction.None:
      return { kind: 'backoff', delayMs: backoffDelay(state.failures, options, random) };
  }
}
