/** Every number of a benchmark run. `benchDefaults` is the full run; `quickBenchDefaults` the ~1 minute one. */
export interface BenchOptions {
  mode: 'full' | 'quick';
  /** Subscribers on the one channel, one row each. */
  subscriberCounts: readonly number[];
  connectConcurrency: number;
  connectTimeoutMs: number;
  connectDeadlineMs: number;
  /** Publishing before a measurement window starts. */
  warmupMs: number;
  /** Saturation window over which subscribers count deliveries. */
  throughputWindowMs: number;
  /** The fixed delivery rate of the latency scenario. */
  latencyDeliveriesPerSecond: number;
  latencyWindowMs: number;
  /** Waiting for the last deliveries after a phase. */
  drainDeadlineMs: number;
  inflightDeliveries: number;
  maxInflightMessages: number;
  maxConcurrentPublishes: number;
  maxPublishesPerTurn: number;
  rateTickMs: number;
  latencyCapacity: number;
  requestTimeoutMs: number;
  drainPollMs: number;
  childReadyTimeoutMs: number;
  /** Limit of a quick call to a child (stats, setup). */
  rpcTimeoutMs: number;
  /** The hard bound on a child's life. */
  childLifetimeMs: number;
  stopTimeoutMs: number;
  /** Pin the target and the generator to different CPUs with taskset (when available and nproc ≥ 2). */
  pin: boolean;
  targetCpu: number;
  generatorCpu: number;
  /** Write a V8 CPU profile of every target process into this directory (`--cpu-prof`). */
  cpuProfileDir?: string;
  /** The Redis the cluster target's nodes share (`redis://host:port[/db]`); each run uses a prefix of its own. */
  redisUrl: string;
}

export const benchDefaults = {
  mode: 'full',
  subscriberCounts: [100, 1000, 5000],
  connectConcurrency: 100,
  connectTimeoutMs: 15_000,
  connectDeadlineMs: 90_000,
  warmupMs: 1_000,
  throughputWindowMs: 5_000,
  latencyDeliveriesPerSecond: 20_000,
  latencyWindowMs: 5_000,
  drainDeadlineMs: 10_000,
  inflightDeliveries: 20_000,
  maxInflightMessages: 200,
  maxConcurrentPublishes: 32,
  maxPublishesPerTurn: 256,
  rateTickMs: 2,
  latencyCapacity: 2_000_000,
  requestTimeoutMs: 60_000,
  drainPollMs: 5,
  childReadyTimeoutMs: 20_000,
  rpcTimeoutMs: 20_000,
  childLifetimeMs: 10 * 60_000,
  stopTimeoutMs: 3_000,
  pin: true,
  targetCpu: 0,
  generatorCpu: 1,
  redisUrl: 'redis://127.0.0.1:6379',
} as const satisfies BenchOptions;

export const quickBenchDefaults = {
  ...benchDefaults,
  mode: 'quick',
  subscriberCounts: [250],
  connectDeadlineMs: 15_000,
  warmupMs: 300,
  throughputWindowMs: 1_000,
  latencyWindowMs: 1_000,
  drainDeadlineMs: 3_000,
  childLifetimeMs: 2 * 60_000,
} as const satisfies BenchOptions;
