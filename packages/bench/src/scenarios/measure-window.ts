import type { BenchOptions } from '../bench-options.js';
import type { LoadFigures } from '../report/bench-result.js';
import { waitFor, type BenchRig } from './bench-rig.js';

const cpuPercent = (cpuMicros: number, wallMs: number): number =>
  wallMs > 0 ? (cpuMicros / 1000 / wallMs) * 100 : Number.NaN;

/**
 * Counts deliveries and the CPU of the generator and of every server process over `windowMs` of
 * whatever publishing is under way. Server CPU is the sum over the run's servers (both nodes of a
 * cluster), each measured on its own clock.
 */
export async function measureWindow(
  rig: BenchRig,
  windowMs: number,
  options: BenchOptions,
): Promise<LoadFigures> {
  const sample = () =>
    Promise.all([
      rig.generator.call('snapshot', {}, options.rpcTimeoutMs),
      Promise.all(rig.servers.map((server) => server.call('stats', { gc: false }, options.rpcTimeoutMs))),
    ]);
  const [g0, t0] = await sample();
  await waitFor(windowMs);
  const [g1, t1] = await sample();
  const wallMs = g1.atMs - g0.atMs;
  const delivered = g1.delivered - g0.delivered;
  let serverCpuMicros = 0;
  let serverCpuPercent = 0;
  t1.forEach((after, index) => {
    const before = t0[index];
    if (!before) return;
    serverCpuMicros += after.cpuMicros - before.cpuMicros;
    serverCpuPercent += cpuPercent(after.cpuMicros - before.cpuMicros, after.atMs - before.atMs);
  });
  return {
    windowMs: wallMs,
    publishedPerSecond: ((g1.published - g0.published) * 1000) / wallMs,
    deliveredPerSecond: (delivered * 1000) / wallMs,
    serverCpuPercent,
    generatorCpuPercent: cpuPercent(g1.cpuMicros - g0.cpuMicros, wallMs),
    deliveredPerServerCpuSecond: serverCpuMicros > 0 ? (delivered * 1e6) / serverCpuMicros : Number.NaN,
  };
}
