import { describe, expect, it } from 'vitest';
import { quickBenchDefaults, type BenchOptions } from '../src/bench-options.js';
import { keysUnder } from '../src/redis/cluster-redis.js';
import { runTarget } from '../src/scenarios/run-target.js';
import { findTarget } from '../src/targets/all-targets.js';
import type { TargetRun } from '../src/report/bench-result.js';
import type { TargetSpec } from '../src/targets/target-spec.js';

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

const target = (id: string): TargetSpec => {
  const spec = findTarget(id);
  if (!spec) throw new Error(`no target ${id}`);
  return spec;
};

/** Every message reached every subscriber, the figures came back and nothing was lost. */
function expectCleanRun(run: TargetRun): void {
  expect(run.errors).toEqual([]);
  expect(run.connect?.opened).toBe(SUBSCRIBERS);
  expect(run.throughput?.deliveredPerSecond).toBeGreaterThan(0);
  expect(run.latency?.samples).toBeGreaterThan(0);
  expect(run.delivery?.published).toBeGreaterThan(0);
  expect(run.delivery?.expected).toBe((run.delivery?.published ?? 0) * SUBSCRIBERS);
  expect(run.delivery?.undelivered).toBe(0);
  expect(run.delivery?.duplicates).toBe(0);
  expect(run.delivery?.disconnects).toBe(0);
}

describe('bench harness', () => {
  it.each(['naive-ws', 'tether-ws-client-events'])(
    '%s: every message reaches every subscriber and the figures come back',
    async (id) => {
      expectCleanRun(await runTarget(target(id), SUBSCRIBERS, tiny));
    },
  );

  // Needs the Redis at tiny.redisUrl (127.0.0.1:6379): without it this fails, as the bench does.
  it('tether-ws-cluster: every message published on node A reaches every subscriber on node B, and no key is left in Redis', async () => {
    const run = await runTarget(target('tether-ws-cluster'), SUBSCRIBERS, tiny);
    expectCleanRun(run);
    expect(run.cluster?.nodes).toBe(2);
    // Two processes: node A holds no subscriber, so each delivery crossed Redis pub/sub.
    expect(run.cluster?.publisherNodePort).not.toBe(run.cluster?.subscriberNodePort);
    const prefix = run.cluster?.redisKeyPrefix ?? '';
    expect(prefix).toMatch(/^tether-bench-[0-9a-f]{16}$/);
    // The nodes registered at least themselves; the orchestrator deleted it all once they had exited.
    expect(run.cluster?.redisKeysDeleted).toBeGreaterThan(0);
    expect(await keysUnder(tiny.redisUrl, prefix)).toEqual([]);
  });

  it('tether-ws-cluster without Redis: the run fails at once and says why (never skipped)', async () => {
    const run = await runTarget(target('tether-ws-cluster'), SUBSCRIBERS, {
      ...tiny,
      redisUrl: 'redis://127.0.0.1:1',
    });
    expect(run.errors.join('\n')).toMatch(/cluster target needs Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(run.connect).toBeUndefined();
    expect(run.delivery).toBeUndefined();
  });
});
