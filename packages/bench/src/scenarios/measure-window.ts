import type { BenchOptions } from '../bench-options.js';
import type { LoadFigures } from '../report/bench-result.js';
import { waitFor, type BenchRig } from './bench-rig.js';

const cpuPercent = (cpuMicros: number, wallMs: number): number =>
  wallMs > 0 ? (cpuMicros / 1000 / wallMs) * 100 : Number.NaN;

/** Counts deliveries and both processes' CPU over `windowMs` of whatever publishing is under way. */
export async function measureWindow(
  rig: BenchRig,
  windowMs: number,
  options: BenchOptions,
): Promise<LoadFigures> {
  const sample = () =>
    Promise.all([
      rig.generator.call('snapshot', {}, options.rpcTimeoutMs),
      rig.target.call('stats', { gc: false }, options.rpcTimeoutMs),
    ]);
  const [g0, t0] = await sample();
  await waitFor(windowMs);
  const [g1, t1] = await sample();
  const wallMs = g1.atMs - g0.atMs;
  const delivered = g1.delivered - g0.delivered;
  const serverCpuMicros = t1.cpuMicros - t0.cpuMicros;
  return {
    windowMs: wallMs,
    publishedPerSecond: ((g1.published - g0.published) * 1000) / wallMs,
    deliveredPerSecond: (delivered * 1000) / wallMs,
    serverCpuPercent: cpuPercent(serverCpuMicros, t1.atMs - t0.atMs),
    generatorCpuPercent: cpuPercent(g1.cpuMicros - g0.cpuMicros, wallMs),
    deliveredPerServerCpuSecond: serverCpuMicros > 0 ? (delivered * 1e6) / serverCpuMicros : Number.NaN,
  };
}
