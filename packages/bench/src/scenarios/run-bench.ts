import type { BenchOptions } from '../bench-options.js';
import type { TargetRun } from '../report/bench-result.js';
import type { TargetSpec } from '../targets/target-spec.js';
import { runTarget } from './run-target.js';

export interface RunBenchInput {
  targets: readonly TargetSpec[];
  options: BenchOptions;
  /** One line per finished run (progress on stderr). */
  log: (line: string) => void;
}

const figure = (value: number | undefined, digits = 0): string =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

function summarize(run: TargetRun): string {
  const parts = [
    `${run.target} N=${run.subscribers}`,
    `conn/s ${figure(run.connect?.perSecond)}`,
    `delivered/s ${figure(run.throughput?.deliveredPerSecond)}`,
    `p50/p99 ${figure(run.latency?.p50Ms, 2)}/${figure(run.latency?.p99Ms, 2)} ms`,
    `undelivered ${figure(run.delivery?.undelivered)}`,
    `disconnects ${figure(run.delivery?.disconnects)}`,
  ];
  if (run.errors.length > 0) parts.push(`errors: ${run.errors.join(' | ')}`);
  return parts.join(', ');
}

/**
 * Every target at every subscriber count, one after another (never two rigs at once: they would
 * share the CPUs). Subscriber counts are the outer loop so the runs a ratio compares sit close in time.
 */
export async function runBench({ targets, options, log }: RunBenchInput): Promise<TargetRun[]> {
  const runs: TargetRun[] = [];
  for (const subscribers of options.subscriberCounts) {
    for (const spec of targets) {
      const run = await runTarget(spec, subscribers, options);
      runs.push(run);
      log(summarize(run));
    }
  }
  return runs;
}
