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
}
