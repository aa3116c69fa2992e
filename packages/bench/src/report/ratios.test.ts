import { describe, expect, it } from 'vitest';
import { allTargets } from '../targets/all-targets.js';
import type { TargetRun } from './bench-result.js';
import { computeRatios, ratioOf } from './ratios.js';

const run = (target: string, subscribers: number, deliveredPerSecond: number, p99Ms: number): TargetRun => ({
  target,
  label: target,
  family: target.startsWith('tether') ? 'tether' : 'baseline',
  transport: 'websocket',
  subscribers,
  throughput: {
    windowMs: 5_000,
    publishedPerSecond: deliveredPerSecond / subscribers,
    deliveredPerSecond,
    serverCpuPercent: 100,
    generatorCpuPercent: 50,
    deliveredPerServerCpuSecond: deliveredPerSecond,
  },
  latency: {
    windowMs: 5_000,
    publishedPerSecond: 20,
    deliveredPerSecond: 20_000,
    serverCpuPercent: 30,
    generatorCpuPercent: 20,
    deliveredPerServerCpuSecond: 66_000,
    targetDeliveriesPerSecond: 20_000,
    samples: 100_000,
    p50Ms: p99Ms / 2,
    p99Ms,
    maxMs: p99Ms * 2,
  },
  errors: [],
});

describe('computeRatios', () => {
  it('sets the cluster target beside the single node at the same N', () => {
    const runs = [
      run('tether-ws-http-api', 1000, 160_000, 30),
      run('tether-ws-cluster', 1000, 120_000, 45),
      run('tether-ws-http-api', 100, 100_000, 3),
    ];
    const ratios = computeRatios(allTargets, runs);
    expect(ratios).toEqual([
      expect.objectContaining({
        target: 'tether-ws-cluster',
        baseline: 'tether-ws-http-api',
        subscribers: 1000,
        deliveredPerSecond: 0.75,
        p50Ms: 1.5,
        p99Ms: 1.5,
      }),
    ]);
  });

  it('compares the HTTP-published WebSocket target first with the corked server that takes HTTP publishes', () => {
    const runs = [
      run('corked-ws', 100, 800_000, 3),
      run('corked-ws-http', 100, 400_000, 4),
      run('tether-ws-http-api', 100, 320_000, 4),
    ];
    const ratios = computeRatios(allTargets, runs);
    expect(ratios.map(({ baseline, deliveredPerSecond }) => ({ baseline, deliveredPerSecond }))).toEqual([
      { baseline: 'corked-ws-http', deliveredPerSecond: 0.8 },
      { baseline: 'corked-ws', deliveredPerSecond: 0.4 },
    ]);
  });

  it('leaves out a figure either side lacks', () => {
    const single = run('tether-ws-http-api', 1000, 160_000, 30);
    const { latency: _dropped, ...failed } = run('tether-ws-cluster', 1000, 120_000, 45);
    const [ratio] = computeRatios(allTargets, [single, failed]);
    expect(ratio?.deliveredPerSecond).toBe(0.75);
    expect(ratio).not.toHaveProperty('p99Ms');
    expect(ratioOf(1, 0)).toBeUndefined();
  });
});
