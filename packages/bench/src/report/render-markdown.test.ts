import { describe, expect, it } from 'vitest';
import { quickBenchDefaults } from '../bench-options.js';
import { allTargets } from '../targets/all-targets.js';
import type { BenchReport, TargetRun } from './bench-result.js';
import { evaluateGoals } from './goals.js';
import { computeRatios } from './ratios.js';
import { renderMarkdown } from './render-markdown.js';

const report: BenchReport = {
  mode: 'quick',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  environment: {
    date: '2026-01-01T00:00:00.000Z',
    node: 'v20.0.0',
    platform: 'linux',
    cpuModel: 'Test CPU',
    nproc: 2,
    pinned: true,
    openFilesLimit: '1024',
    loadAverageAtStart: 0.5,
    loadAverageAtEnd: 1.5,
    note: 'shared machine',
  },
  options: { ...quickBenchDefaults, frameBytes: 100 },
  runs: [
    {
      target: 'naive-ws',
      label: 'naive',
      family: 'baseline',
      transport: 'websocket',
      subscribers: 500,
      connect: { requested: 500, opened: 500, failed: 0, elapsedMs: 1000, perSecond: 500 },
      throughput: {
        windowMs: 1000,
        publishedPerSecond: 100,
        deliveredPerSecond: 50_000,
        serverCpuPercent: 50,
        generatorCpuPercent: 40,
        deliveredPerServerCpuSecond: 100_000,
      },
      errors: ['connect: refused'],
    },
  ],
  ratios: [
    {
      target: 'tether-ws-client-events',
      baseline: 'naive-ws',
      subscribers: 500,
      deliveredPerSecond: 1.234,
      deliveredPerServerCpuSecond: 0.5,
    },
  ],
  goals: [{ description: 'Some target', met: false, detail: 'why' }],
  bundles: [{ name: 'pusher-js@8', path: 'x/pusher.min.js', rawBytes: 2048, gzipBytes: 1024 }],
};

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(report);

  it('states the machine, the date, the load and the note', () => {
    expect(markdown).toContain('2026-01-01T00:00:00.000Z (run took 60 s)');
    expect(markdown).toContain('Test CPU, 2 cores');
    expect(markdown).toContain('0.50 / 1.50');
    expect(markdown).toContain('Note: shared machine');
  });

  it('renders a row per run, the ratios, the goals, the bundles and the errors', () => {
    expect(markdown).toContain('## 500 subscribers on one channel');
    expect(markdown).toMatch(
      /\| naive-ws \| websocket \| 500\/500 \| 500 \| – \| – \| 50,000 \| 50 \| 40 \| 100,000 \|/,
    );
    expect(markdown).toContain('| tether-ws-client-events | naive-ws | 500 | 1.23× | 0.50× |');
    expect(markdown).toContain('| Some target | **missed** | why |');
    expect(markdown).toContain('| pusher-js@8 | x/pusher.min.js | 2.0 | 1.0 |');
    expect(markdown).toContain('- naive-ws N=500: connect: refused');
  });
});

describe('renderMarkdown with the cluster target', () => {
  const cluster: BenchReport = {
    ...report,
    runs: [
      ...report.runs,
      {
        target: 'tether-ws-cluster',
        label: 'cluster',
        family: 'tether',
        transport: 'websocket',
        subscribers: 500,
        connect: { requested: 500, opened: 500, failed: 0, elapsedMs: 1000, perSecond: 500 },
        throughput: {
          windowMs: 1000,
          publishedPerSecond: 60,
          deliveredPerSecond: 30_000,
          serverCpuPercent: 130,
          generatorCpuPercent: 40,
          deliveredPerServerCpuSecond: 23_077,
        },
        cluster: {
          nodes: 2,
          subscriberNodePort: 40001,
          publisherNodePort: 40002,
          redisKeyPrefix: 'tether-bench-00',
          redisKeysDeleted: 1,
        },
        errors: [],
      },
    ],
    ratios: [
      {
        target: 'tether-ws-cluster',
        baseline: 'tether-ws-http-api',
        subscribers: 500,
        deliveredPerSecond: 0.6,
        p50Ms: 1.25,
        p99Ms: 2,
      },
    ],
  };
  const markdown = renderMarkdown(cluster);

  it('says how the cluster ran and what its CPU and memory figures cover', () => {
    expect(markdown).toContain(
      '- Cluster targets (tether-ws-cluster): two Tether processes sharing Redis, subscribers on node B, the publisher on node A',
    );
    expect(markdown).toContain('Server CPU is the sum of both nodes; memory is node B’s');
    expect(renderMarkdown(report)).not.toContain('Cluster targets');
  });

  it('renders its row beside the others and its ratio against the single node', () => {
    expect(markdown).toMatch(
      /\| tether-ws-cluster \| websocket \| 500\/500 \| 500 \| – \| – \| 30,000 \| 130 \|/,
    );
    expect(markdown).toContain(
      '| tether-ws-cluster | tether-ws-http-api | 500 | 0.60× | – | – | 1.25× | 2.00× |',
    );
  });
});

describe('renderMarkdown with the corked server that takes HTTP publishes', () => {
  const measured = (target: string, deliveredPerSecond: number): TargetRun => ({
    target,
    label: target,
    family: target.startsWith('tether') ? 'tether' : 'baseline',
    transport: 'websocket',
    subscribers: 500,
    throughput: {
      windowMs: 1000,
      publishedPerSecond: deliveredPerSecond / 500,
      deliveredPerSecond,
      serverCpuPercent: 100,
      generatorCpuPercent: 50,
      deliveredPerServerCpuSecond: deliveredPerSecond,
    },
    errors: [],
  });
  const runs = [
    measured('corked-ws', 800_000),
    measured('corked-ws-http', 400_000),
    measured('tether-ws-http-api', 360_000),
  ];
  const ratios = computeRatios(allTargets, runs);
  const markdown = renderMarkdown({ ...report, runs, ratios, goals: evaluateGoals(runs, ratios, []) });

  it('renders the HTTP API target against corked-ws-http first, and the goal on that ratio', () => {
    const fair = '| tether-ws-http-api | corked-ws-http | 500 | 0.90× | 0.90× |';
    const frames = '| tether-ws-http-api | corked-ws | 500 | 0.45× | 0.45× |';
    expect(markdown).toContain(fair);
    expect(markdown.indexOf(fair)).toBeLessThan(markdown.indexOf(frames));
    expect(markdown).toMatch(
      /\| WebSocket fan-out ≥ 0\.8× corked ws [^|]*\| met \| tether-ws-http-api N=500: 0\.90× \(per server CPU-s 0\.90×\) \|/,
    );
  });
});
