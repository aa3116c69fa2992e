import { baselineTargets } from './baseline-targets.js';
import type { TargetSpec } from './target-spec.js';
import { tetherTargets } from './tether-targets.js';

/**
 * Run and report order: each Tether target right after the baselines it is compared with, so the runs
 * a ratio divides sit close in time (on a shared machine the load drifts during a run).
 */
export const TARGET_ORDER = [
  'naive-ws',
  'corked-ws',
  'tether-ws-client-events',
  'corked-ws-http',
  'tether-ws-http-api',
  'tether-ws-cluster',
  'socketio-ws',
  'raw-sse',
  'tether-sse',
  'raw-long-poll',
  'tether-long-poll',
  'socketio-polling',
] as const;

const specs: readonly TargetSpec[] = [...baselineTargets, ...tetherTargets];

/** Every target of a run, in {@link TARGET_ORDER}. */
export const allTargets: readonly TargetSpec[] = TARGET_ORDER.map((id) => {
  const spec = specs.find((candidate) => candidate.id === id);
  if (!spec) throw new Error(`TARGET_ORDER names an unknown target ${id}`);
  return spec;
});

export const findTarget = (id: string): TargetSpec | undefined => allTargets.find((spec) => spec.id === id);
