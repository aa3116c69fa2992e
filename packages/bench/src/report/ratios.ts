import type { TargetSpec } from '../targets/target-spec.js';
import type { Ratio, TargetRun } from './bench-result.js';

/** a / b when both are finite and b is not zero. */
export function ratioOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0)
    return undefined;
  return a / b;
}

export const findRun = (
  runs: readonly TargetRun[],
  target: string,
  subscribers: number,
): TargetRun | undefined => runs.find((run) => run.target === target && run.subscribers === subscribers);

type Loose<T> = { [K in keyof T]: T[K] | undefined };

/** Drops absent fields so the JSON carries only figures that exist. */
function defined<T extends object>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Tether against each baseline it names, at every subscriber count both ran at. */
export function computeRatios(specs: readonly TargetSpec[], runs: readonly TargetRun[]): Ratio[] {
  const ratios: Ratio[] = [];
  for (const spec of specs) {
    for (const baseline of spec.compareWith) {
      for (const run of runs) {
        if (run.target !== spec.id) continue;
        const other = findRun(runs, baseline, run.subscribers);
        if (!other) continue;
        ratios.push(
          defined<Ratio>({
            target: spec.id,
            baseline,
            subscribers: run.subscribers,
            deliveredPerSecond: ratioOf(
              run.throughput?.deliveredPerSecond,
              other.throughput?.deliveredPerSecond,
            ),
            deliveredPerServerCpuSecond: ratioOf(
              run.throughput?.deliveredPerServerCpuSecond,
              other.throughput?.deliveredPerServerCpuSecond,
            ),
            p50Ms: ratioOf(run.latency?.p50Ms, other.latency?.p50Ms),
            p99Ms: ratioOf(run.latency?.p99Ms, other.latency?.p99Ms),
            serverCpuAtFixedRate: ratioOf(run.latency?.serverCpuPercent, other.latency?.serverCpuPercent),
            rssPerConnection: ratioOf(run.memory?.rssBytesPerConnection, other.memory?.rssBytesPerConnection),
            heapPerConnection: ratioOf(
              run.memory?.heapBytesPerConnection,
              other.memory?.heapBytesPerConnection,
            ),
            connectionsPerSecond: ratioOf(run.connect?.perSecond, other.connect?.perSecond),
          }),
        );
      }
    }
  }
  return ratios;
}
