/**
 * Delay before retry number `attempt` (1 for the first retry): exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so targets recovering together are not hit
 * in lockstep and no retry is ever immediate.
 */
export function webhookRetryDelay(
  attempt: number,
  random: () => number,
  baseMs: number,
  maxMs: number,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}
