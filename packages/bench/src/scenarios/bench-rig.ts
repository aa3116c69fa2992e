import { availableParallelism } from 'node:os';
import type { BenchOptions } from '../bench-options.js';
import type { GeneratorApi } from '../load/generator-process.js';
import { BenchChild, benchModule } from '../process/bench-child.js';
import { lifetimeArg } from '../process/lifetime.js';
import type { TargetApi, TargetInfo } from '../targets/target-process.js';
import type { TargetSpec } from '../targets/target-spec.js';

/** One target process and one load-generator process, each pinned to its own CPU when possible. */
export interface BenchRig {
  target: BenchChild<TargetApi, TargetInfo>;
  generator: BenchChild<GeneratorApi, null>;
  pinned: boolean;
}

export const shouldPin = (options: BenchOptions): boolean => options.pin && availableParallelism() >= 2;

export async function startRig(spec: TargetSpec, options: BenchOptions): Promise<BenchRig> {
  const pin = shouldPin(options);
  const lifetime = lifetimeArg(options.childLifetimeMs);
  const [target, generator] = await Promise.allSettled([
    BenchChild.start<TargetApi, TargetInfo>({
      label: `target ${spec.id}`,
      entry: benchModule(spec.entry),
      args: [...spec.args, lifetime],
      ...(options.cpuProfileDir !== undefined
        ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] }
        : {}),
      ...(pin ? { cpu: options.targetCpu } : {}),
      readyTimeoutMs: options.childReadyTimeoutMs,
    }),
    BenchChild.start<GeneratorApi, null>({
      label: `generator for ${spec.id}`,
      entry: benchModule('load/generator-process.ts'),
      args: [lifetime],
      ...(pin ? { cpu: options.generatorCpu } : {}),
      readyTimeoutMs: options.childReadyTimeoutMs,
    }),
  ]);
  if (target.status === 'rejected' || generator.status === 'rejected') {
    if (target.status === 'fulfilled') await target.value.stop(options.stopTimeoutMs);
    if (generator.status === 'fulfilled') await generator.value.stop(options.stopTimeoutMs);
    const reason =
      target.status === 'rejected'
        ? target.reason
        : generator.status === 'rejected'
          ? generator.reason
          : undefined;
    throw reason instanceof Error ? reason : new Error(String(reason));
  }
  return { target: target.value, generator: generator.value, pinned: target.value.pinnedCpu !== undefined };
}

export async function stopRig(rig: BenchRig, options: BenchOptions): Promise<void> {
  await Promise.all([rig.generator.stop(options.stopTimeoutMs), rig.target.stop(options.stopTimeoutMs)]);
}

/** Waits `ms`: the orchestrator's measurement windows (a benchmark's fixed windows, not a test's sleep). */
export const waitFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
