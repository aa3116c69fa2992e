import { describe, expect, it } from 'vitest';
import { allTargets } from '../targets/all-targets.js';
import type { BundleSize, TargetRun } from './bench-result.js';
import { evaluateGoals } from './goals.js';
import { computeRatios } from './ratios.js';

const N = 5000;

function run(
  target: string,
  figures: {
    delivered: number;
    connPerSecond?: number;
    cpu?: number;
    rss?: number;
    heap?: number;
    undelivered?: number;
  },
): TargetRun {
  const spec = allTargets.find((s) => s.id === target);
  if (!spec) throw new Error(target);
  const load = {
    windowMs: 1000,
    publishedPerSecond: 1,
    deliveredPerSecond: figures.delivered,
    serverCpuPercent: 50,
    generatorCpuPercent: 50,
    deliveredPerServerCpuSecond: figures.delivered * 2,
  };
  return {
    target,
    label: spec.label,
    family: spec.family,
    transport: spec.transport,
    subscribers: N,
    connect: {
      requested: N,
      opened: N,
      failed: 0,
      elapsedMs: 1000,
      perSecond: figures.connPerSecond ?? 1000,
    },
    memory: {
      connections: N,
      baseline: { rssBytes: 0, heapUsedBytes: 0 },
      loaded: { rssBytes: 0, heapUsedBytes: 0 },
      rssBytesPerConnection: figures.rss ?? 10_000,
      heapBytesPerConnection: figures.heap ?? 3_000,
    },
    throughput: load,
    latency: {
      ...load,
      serverCpuPercent: figures.cpu ?? 30,
      targetDeliveriesPerSecond: 20_000,
      samples: 1,
      p50Ms: 1,
      p99Ms: 2,
      maxMs: 3,
    },
    delivery: {
      published: 1,
      publishFailures: 0,
      expected: N,
      delivered: N - (figures.undelivered ?? 0),
      undelivered: figures.undelivered ?? 0,
      duplicates: 0,
      disconnects: 0,
    },
    errors: [],
  };
}

const bundles: BundleSize[] = [
  { name: '@tether/client@0.1.0', path: 'a', rawBytes: 30_000, gzipBytes: 10_000 },
  { name: 'pusher-js@8.6.0', path: 'b', rawBytes: 60_000, gzipBytes: 17_000 },
];

const byDescription = (goals: ReturnType<typeof evaluateGoals>, start: string) =>
  goals.find((goal) => goal.description.startsWith(start));

describe('evaluateGoals', () => {
  const baselines = [
    run('naive-ws', { delivered: 100_000, connPerSecond: 1000 }),
    run('corked-ws', { delivered: 200_000 }),
    run('corked-ws-http', { delivered: 150_000 }),
    run('raw-sse', { delivered: 100_000 }),
    run('raw-long-poll', { delivered: 50_000, cpu: 40 }),
  ];

  it('meets every target when Tether is close enough to the baselines', () => {
    const runs = [
      ...baselines,
      run('tether-ws-client-events', { delivered: 170_000, connPerSecond: 900 }),
      run('tether-ws-http-api', { delivered: 160_000 }),
      run('tether-sse', { delivered: 80_000 }),
      run('tether-long-poll', { delivered: 35_000, cpu: 44 }),
    ];
    const goals = evaluateGoals(runs, computeRatios(allTargets, runs), bundles);
    expect(goals.filter((goal) => goal.met !== true)).toEqual([]);
  });

  it('names each target Tether misses', () => {
    const runs = [
      ...baselines,
      run('tether-ws-client-events', {
        delivered: 150_000,
        connPerSecond: 700,
        rss: 12_000,
        heap: 5_000,
        undelivered: 3,
      }),
      run('tether-ws-http-api', { delivered: 90_000 }),
      run('tether-sse', { delivered: 70_000 }),
      run('tether-long-poll', { delivered: 30_000, cpu: 45 }),
    ];
    const goals = evaluateGoals(runs, computeRatios(allTargets, runs), [
      bundles[0] ?? bundles[1]!,
      { ...bundles[1]!, gzipBytes: 9_000 },
    ]);
    expect(goals.every((goal) => goal.met === false)).toBe(true);
    expect(byDescription(goals, 'WebSocket fan-out ≥ 0.8× corked')?.detail).toContain(
      'tether-ws-client-events N=5000: 0.75× ✗',
    );
    expect(byDescription(goals, 'WebSocket fan-out ≥ 0.8× corked')?.detail).toContain(
      'tether-ws-http-api N=5000: 0.60× ✗',
    );
    expect(byDescription(goals, 'Zero undelivered')?.detail).toContain('3 undelivered');
  });

  it('holds each Tether WebSocket target to the corked baseline that publishes the same way', () => {
    // 0.70× corked-ws but 0.93× corked-ws-http: one HTTP request per publish is not held against it.
    const runs = [
      ...baselines,
      run('tether-ws-client-events', { delivered: 170_000 }),
      run('tether-ws-http-api', { delivered: 140_000 }),
    ];
    const goal = byDescription(
      evaluateGoals(runs, computeRatios(allTargets, runs), bundles),
      'WebSocket fan-out ≥ 0.8× corked',
    );
    expect(goal?.description).toContain('HTTP API vs corked-ws-http');
    expect(goal?.met).toBe(true);
    expect(goal?.detail).toBe(
      'tether-ws-client-events N=5000: 0.85× (per server CPU-s 0.85×); tether-ws-http-api N=5000: 0.93× (per server CPU-s 0.93×)',
    );
  });

  it('misses the corked goal when HTTP-published Tether falls behind corked-ws-http, however it compares with corked-ws', () => {
    const runs = [
      ...baselines.map((baseline) =>
        baseline.target === 'corked-ws' ? run('corked-ws', { delivered: 100_000 }) : baseline,
      ),
      run('tether-ws-client-events', { delivered: 170_000 }),
      run('tether-ws-http-api', { delivered: 105_000 }),
    ];
    const goal = byDescription(
      evaluateGoals(runs, computeRatios(allTargets, runs), bundles),
      'WebSocket fan-out ≥ 0.8× corked',
    );
    expect(goal?.met).toBe(false);
    expect(goal?.detail).toContain('tether-ws-http-api N=5000: 0.70× ✗');
  });

  it('leaves a target undecided when the run lacks its figures', () => {
    const runs = [run('naive-ws', { delivered: 1 })];
    const goals = evaluateGoals(runs, computeRatios(allTargets, runs), []);
    expect(goals.every((goal) => goal.met === null)).toBe(true);
  });
});
