/** Every figure of one run, as written to JSON and rendered to markdown. */
import type { BenchOptions } from '../bench-options.js';

export interface ConnectFigures {
  requested: number;
  opened: number;
  failed: number;
  elapsedMs: number;
  /** Subscribed connections per second (opened / elapsed). */
  perSecond: number;
}

export interface MemoryFigures {
  /** Idle subscribed connections the figures are divided by. */
  connections: number;
  /** Server RSS and V8 heap after GC: before any connection, and with every connection subscribed. */
  baseline: { rssBytes: number; heapUsedBytes: number };
  loaded: { rssBytes: number; heapUsedBytes: number };
  rssBytesPerConnection: number;
  heapBytesPerConnection: number;
}

export interface LoadFigures {
  windowMs: number;
  publishedPerSecond: number;
  /** Deliveries counted by the subscribers over the window. */
  deliveredPerSecond: number;
  /** Percent of one core over the window. */
  serverCpuPercent: number;
  generatorCpuPercent: number;
  /**
   * Deliveries per second of server CPU time: what the server achieves per unit of the CPU it got,
   * the steadier figure when other work shares the machine.
   */
  deliveredPerServerCpuSecond: number;
}

export interface LatencyFigures extends LoadFigures {
  targetDeliveriesPerSecond: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface DeliveryFigures {
  published: number;
  publishFailures: number;
  expected: number;
  delivered: number;
  /** Must be zero. */
  undelivered: number;
  duplicates: number;
  /** Subscriber connections lost during the run. Must be zero. */
  disconnects: number;
}

export interface ClusterFigures {
  nodes: number;
  /** Where the subscribers connected (node B) and where the publisher sent (node A). */
  subscriberNodePort: number;
  publisherNodePort: number;
  redisKeyPrefix: string;
  /** Keys deleted under the prefix after the nodes exited (absent when the cleanup failed). */
  redisKeysDeleted?: number;
}

export interface TargetRun {
  target: string;
  label: string;
  family: 'tether' | 'baseline';
  transport: 'websocket' | 'sse' | 'long-poll';
  subscribers: number;
  connect?: ConnectFigures;
  memory?: MemoryFigures;
  throughput?: LoadFigures;
  latency?: LatencyFigures;
  delivery?: DeliveryFigures;
  /** Cluster targets: how many server processes shared Redis, under which key prefix, and the cleanup. */
  cluster?: ClusterFigures;
  /** Why a figure is missing, or what went wrong along the way. */
  errors: string[];
}

export interface BundleSize {
  name: string;
  path: string;
  /** Absent when the file is not there (`not built`). */
  rawBytes?: number;
  gzipBytes?: number;
  note?: string;
}

export interface Ratio {
  target: string;
  baseline: string;
  subscribers: number;
  /** target / baseline; absent when either side lacks the figure. */
  deliveredPerSecond?: number;
  /** Fan-out per server CPU-second. */
  deliveredPerServerCpuSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  serverCpuAtFixedRate?: number;
  rssPerConnection?: number;
  heapPerConnection?: number;
  connectionsPerSecond?: number;
}

export interface Goal {
  description: string;
  /** `null` when the run lacks the figures to decide. */
  met: boolean | null;
  detail: string;
}

export interface Environment {
  date: string;
  node: string;
  platform: string;
  cpuModel: string;
  nproc: number;
  /** Server on `targetCpu`, generator on `generatorCpu` (taskset), or both free to move. */
  pinned: boolean;
  openFilesLimit: string;
  /** 1-minute load averages when the run started and ended: other work on the machine shows here. */
  loadAverageAtStart: number;
  loadAverageAtEnd: number;
  note?: string;
}

export interface BenchReport {
  mode: 'full' | 'quick';
  startedAt: string;
  finishedAt: string;
  environment: Environment;
  /** The run's options, and the frame size every target carries. */
  options: BenchOptions & { frameBytes: number };
  runs: TargetRun[];
  ratios: Ratio[];
  goals: Goal[];
  bundles: BundleSize[];
}
