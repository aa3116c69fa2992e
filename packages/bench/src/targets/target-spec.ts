import type { LoadSpec } from '../load/load-spec.js';

/** One server under test, as the orchestrator runs it. */
export interface TargetSpec {
  /** Stable id: command-line filter, JSON key, ratio reference. */
  id: string;
  label: string;
  family: 'tether' | 'baseline';
  transport: 'websocket' | 'sse' | 'long-poll';
  /** The target's process entry, relative to `src/` (a module that calls `runTarget`). */
  entry: string;
  /** Arguments after the entry (before the lifetime bound). */
  args: readonly string[];
  /** What the load generator speaks to it. */
  load: LoadSpec;
  /** Tether targets: the baselines their ratios are computed against, in report order. */
  compareWith: readonly string[];
  /**
   * `single` (the default): one server process. `redis-pair`: two processes of `entry` (node A and
   * node B) sharing the run's Redis under a key prefix of their own; subscribers connect to node B and
   * the publisher to node A, so every message crosses Redis pub/sub. The orchestrator checks Redis
   * first (the run fails, it is never skipped) and deletes the prefix's keys afterwards.
   */
  topology?: TargetTopology;
}

export type TargetTopology = 'single' | 'redis-pair';

/** Arguments of a target process that joins a cluster over Redis (see `targets/tether.ts`). */
export const RedisTargetArg = {
  Url: '--redis-url=',
  Prefix: '--redis-prefix=',
} as const;
