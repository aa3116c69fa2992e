import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import type { Environment } from './bench-result.js';

/** `ulimit -n` of this shell: a run with thousands of sockets needs it well above them. */
function openFilesLimit(): string {
  const result = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

export const oneMinuteLoad = (): number => loadavg()[0] ?? Number.NaN;

/** The machine a run is on; `loadAverageAtEnd` is filled in when the run ends. */
export function describeEnvironment(input: {
  pinned: boolean;
  note: string | undefined;
  date: Date;
}): Environment {
  return {
    date: input.date.toISOString(),
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    nproc: availableParallelism(),
    pinned: input.pinned,
    openFilesLimit: openFilesLimit(),
    loadAverageAtStart: oneMinuteLoad(),
    loadAverageAtEnd: Number.NaN,
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
}
