import { availableParallelism } from 'node:os';
import type { BenchOptions } from '../bench-options.js';
import type { GeneratorApi } from '../load/generator-process.js';
import { BenchChild, benchModule } from '../process/bench-child.js';
import { lifetimeArg } from '../process/lifetime.js';
import { checkRedis, deleteKeysUnder, uniqueRedisPrefix } from '../redis/cluster-redis.js';
import type { TargetApi, TargetInfo } from '../targets/target-process.js';
import { RedisTargetArg, type TargetSpec } from '../targets/target-spec.js';

export type ServerChild = BenchChild<TargetApi, TargetInfo>;

/**
 * The processes of one run: the server(s) under test and one load generator, each pinned to a CPU
 * when possible. A single-node target is one server, `target` and `publishTarget` alike. A
 * `redis-pair` target is two: node B (`target`, the subscribers' node) on the server CPU like any
 * target, node A (`publishTarget`, the publisher's node) on the generator's CPU, as a second machine
 * would be; they share Redis under `redis.prefix`.
 */
export interface BenchRig {
  /** Where the subscribers connect; its memory is the run's memory figure. */
  target: ServerChild;
  /** Where the publisher sends. */
  publishTarget: ServerChild;
  /** Every server process of the run: CPU figures are their sum. */
  servers: readonly ServerChild[];
  generator: BenchChild<GeneratorApi, null>;
  pinned: boolean;
  redis?: { url: string; prefix: string };
}

export interface RigStopReport {
  /** Keys deleted under the run's Redis prefix (cluster targets). */
  redisKeysDeleted?: number;
  errors: string[];
}

export const shouldPin = (options: BenchOptions): boolean => options.pin && availableParallelism() >= 2;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function deleteRunKeys(redis: BenchRig['redis']): Promise<RigStopReport> {
  if (!redis) return { errors: [] };
  try {
    return { redisKeysDeleted: await deleteKeysUnder(redis.url, redis.prefix), errors: [] };
  } catch (error) {
    return { errors: [`redis cleanup of ${redis.prefix}: ${message(error)}`] };
  }
}

export async function startRig(spec: TargetSpec, options: BenchOptions): Promise<BenchRig> {
  const pin = shouldPin(options);
  const lifetime = lifetimeArg(options.childLifetimeMs);
  const cluster = spec.topology === 'redis-pair';
  const redis = cluster ? { url: options.redisUrl, prefix: uniqueRedisPrefix() } : undefined;
  // Fails the run at once, with what to do, rather than after the nodes' own ready timeout.
  if (redis) await checkRedis(redis.url);
  const startServer = (label: string, cpu: number): Promise<ServerChild> =>
    BenchChild.start<TargetApi, TargetInfo>({
      label,
      entry: benchModule(spec.entry),
      args: [
        ...spec.args,
        ...(redis ? [`${RedisTargetArg.Url}${redis.url}`, `${RedisTargetArg.Prefix}${redis.prefix}`] : []),
        lifetime,
      ],
      ...(options.cpuProfileDir !== undefined
        ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] }
        : {}),
      ...(pin ? { cpu } : {}),
      readyTimeoutMs: options.childReadyTimeoutMs,
    });
  // Both nodes share the server CPU, as the single-node target has it alone: the cluster gets the same CPU
  // budget and the generator keeps its own core, so the ratio shows what the Redis hop costs. (Node A
  // beside the generator took CPU from the generator, which bounded the run at small N instead.)
  const servers = cluster
    ? [
        startServer(`target ${spec.id} node B`, options.targetCpu),
        startServer(`target ${spec.id} node A`, options.targetCpu),
      ]
    : [startServer(`target ${spec.id}`, options.targetCpu)];
  const generatorStart = BenchChild.start<GeneratorApi, null>({
    label: `generator for ${spec.id}`,
    entry: benchModule('load/generator-process.ts'),
    args: [lifetime],
    ...(pin ? { cpu: options.generatorCpu } : {}),
    readyTimeoutMs: options.childReadyTimeoutMs,
  });
  const [generator, ...started] = await Promise.allSettled([generatorStart, ...servers]);
  const failure = [generator, ...started].find((result) => result.status === 'rejected');
  const serverChildren = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const [target, publishTarget = target] = serverChildren;
  if (failure || generator.status !== 'fulfilled' || !target || serverChildren.length !== servers.length) {
    await Promise.all(
      [...serverChildren, ...(generator.status === 'fulfilled' ? [generator.value] : [])].map((child) =>
        child.stop(options.stopTimeoutMs),
      ),
    );
    const cleanup = await deleteRunKeys(redis);
    const reason: unknown = failure?.status === 'rejected' ? failure.reason : 'a process did not start';
    throw new Error([message(reason), ...cleanup.errors].join('; '));
  }
  return {
    target,
    publishTarget: publishTarget ?? target,
    servers: serverChildren,
    generator: generator.value,
    pinned: target.pinnedCpu !== undefined,
    ...(redis ? { redis } : {}),
  };
}

/** Stops every process (waiting for them to exit), then deletes the Redis keys of a cluster run. */
export async function stopRig(rig: BenchRig, options: BenchOptions): Promise<RigStopReport> {
  await Promise.all([rig.generator, ...rig.servers].map((child) => child.stop(options.stopTimeoutMs)));
  return deleteRunKeys(rig.redis);
}

/** Waits `ms`: the orchestrator's measurement windows (a benchmark's fixed windows, not a test's sleep). */
export const waitFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
