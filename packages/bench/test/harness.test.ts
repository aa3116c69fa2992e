import { describe, expect, it } from 'vitest';
import { quickBenchDefaults, type BenchOptions } from '../src/bench-options.js';
import { runTarget } from '../src/scenarios/run-target.js';
import { findTarget } from '../src/targets/all-targets.js';

/** A tiny run: enough to prove every message reaches every subscriber and the figures come back. */
const tiny: BenchOptions = {
  ...quickBenchDefaults,
  subscriberCounts: [20],
  connectDeadlineMs: 10_000,
  connectTimeoutMs: 5_000,
  warmupMs: 100,
  throughputWindowMs: 1_000,
  latencyDeliveriesPerSecond: 2_000,
  latencyWindowMs: 500,
  // Only waits as long as the last deliveries take; generous for a loaded machine.
  drainDeadlineMs: 8_000,
  childLifetimeMs: 60_000,
  // Other test files share the CPUs: leave the scheduler free.
  pin: false,
};

const SUBSCRIBERS = 20;

describe('bench harness', () => {
  it.each(['naive-ws', 'tether-ws-client-events'])(
    '%s: every message reaches every subscriber and the figures come back',
    async (id) => {
      const spec = findTarget(id);
      if (!spec) throw new Error(`no target ${id}`);
      const run = await runTarget(spec, SUBSCRIBERS, tiny);
      expect(run.errors).toEqual([]);
      expect(run.connect?.opened).toBe(SUBSCRIBERS);
      expect(run.throughput?.deliveredPerSecond).toBeGreaterThan(0);
      expect(run.latency?.samples).toBeGreaterThan(0);
      expect(run.delivery?.published).toBeGreaterThan(0);
      expect(run.delivery?.expected).toBe((run.delivery?.published ?? 0) * SUBSCRIBERS);
      expect(run.delivery?.undelivered).toBe(0);
      expect(run.delivery?.duplicates).toBe(0);
      expect(run.delivery?.disconnects).toBe(0);
    },
  );
});
