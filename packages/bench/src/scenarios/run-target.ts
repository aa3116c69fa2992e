import type { BenchOptions } from '../bench-options.js';
import type { DeliveryReport } from '../load/load-engine.js';
import type {
  ConnectFigures,
  DeliveryFigures,
  LatencyFigures,
  MemoryFigures,
  TargetRun,
} from '../report/bench-result.js';
import type { TargetSpec } from '../targets/target-spec.js';
import { startRig, stopRig, waitFor, type BenchRig } from './bench-rig.js';
import { measureWindow } from './measure-window.js';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Connect N subscribers; memory (after GC) of the server they connect to (node B of a cluster) before
 * and after, per idle subscribed connection.
 */
async function connectPhase(
  rig: BenchRig,
  subscribers: number,
  options: BenchOptions,
  run: TargetRun,
): Promise<void> {
  const before = await rig.target.call('stats', { gc: true }, options.rpcTimeoutMs);
  const report = await rig.generator.call(
    'connect',
    { count: subscribers },
    options.connectDeadlineMs + options.connectTimeoutMs + options.rpcTimeoutMs,
  );
  run.errors.push(...report.errors.map((error) => `connect: ${error}`));
  const connect: ConnectFigures = {
    requested: report.requested,
    opened: report.opened,
    failed: report.failed,
    elapsedMs: report.elapsedMs,
    perSecond: (report.opened * 1000) / report.elapsedMs,
  };
  run.connect = connect;
  const after = await rig.target.call('stats', { gc: true }, options.rpcTimeoutMs);
  if (report.opened === 0) throw new Error('no subscriber connected');
  const memory: MemoryFigures = {
    connections: report.opened,
    baseline: { rssBytes: before.rssBytes, heapUsedBytes: before.heapUsedBytes },
    loaded: { rssBytes: after.rssBytes, heapUsedBytes: after.heapUsedBytes },
    rssBytesPerConnection: (after.rssBytes - before.rssBytes) / report.opened,
    heapBytesPerConnection: (after.heapUsedBytes - before.heapUsedBytes) / report.opened,
  };
  run.memory = memory;
}

async function drain(rig: BenchRig, options: BenchOptions): Promise<DeliveryReport> {
  await rig.generator.call('stopPublishing', {}, options.rpcTimeoutMs);
  return rig.generator.call(
    'drain',
    { deadlineMs: options.drainDeadlineMs },
    options.drainDeadlineMs + options.rpcTimeoutMs,
  );
}

/** Saturation: publish with a bounded number of deliveries in flight; subscribers count over a window. */
async function throughputPhase(rig: BenchRig, options: BenchOptions, run: TargetRun): Promise<void> {
  await rig.generator.call('startPublishing', { kind: 'saturate' }, options.rpcTimeoutMs);
  await waitFor(options.warmupMs);
  run.throughput = await measureWindow(rig, options.throughputWindowMs, options);
  await drain(rig, options);
}

/** A fixed delivery rate; publish-to-receipt latency and both processes' CPU over a window. */
async function latencyPhase(
  rig: BenchRig,
  options: BenchOptions,
  run: TargetRun,
  audience: number,
): Promise<DeliveryReport> {
  const messagesPerSecond = options.latencyDeliveriesPerSecond / audience;
  const maxMessages =
    Math.ceil((messagesPerSecond * (options.warmupMs + options.latencyWindowMs) * 2) / 1000) + 1;
  await rig.generator.call(
    'startPublishing',
    { kind: 'rate', messagesPerSecond, maxMessages },
    options.rpcTimeoutMs,
  );
  await waitFor(options.warmupMs);
  await rig.generator.call('recordLatency', { on: true }, options.rpcTimeoutMs);
  const window = await measureWindow(rig, options.latencyWindowMs, options);
  await rig.generator.call('recordLatency', { on: false }, options.rpcTimeoutMs);
  const summary = await rig.generator.call('latency', {}, options.rpcTimeoutMs);
  const latency: LatencyFigures = {
    ...window,
    targetDeliveriesPerSecond: options.latencyDeliveriesPerSecond,
    samples: summary.samples,
    p50Ms: summary.p50Ms,
    p99Ms: summary.p99Ms,
    maxMs: summary.maxMs,
  };
  run.latency = latency;
  return drain(rig, options);
}

/** Every scenario for one target and one subscriber count, in fresh processes. Never throws. */
export async function runTarget(
  spec: TargetSpec,
  subscribers: number,
  options: BenchOptions,
): Promise<TargetRun> {
  const run: TargetRun = {
    target: spec.id,
    label: spec.label,
    family: spec.family,
    transport: spec.transport,
    subscribers,
    errors: [],
  };
  let rig: BenchRig | undefined;
  try {
    rig = await startRig(spec, options);
    if (rig.redis)
      run.cluster = {
        nodes: rig.servers.length,
        subscriberNodePort: rig.target.info.port,
        publisherNodePort: rig.publishTarget.info.port,
        redisKeyPrefix: rig.redis.prefix,
      };
    await rig.generator.call(
      'setup',
      {
        host: '127.0.0.1',
        port: rig.target.info.port,
        publishPort: rig.publishTarget.info.port,
        spec: spec.load,
        connectConcurrency: options.connectConcurrency,
        connectTimeoutMs: options.connectTimeoutMs,
        connectDeadlineMs: options.connectDeadlineMs,
        inflightDeliveries: options.inflightDeliveries,
        maxInflightMessages: options.maxInflightMessages,
        maxConcurrentPublishes: options.maxConcurrentPublishes,
        maxPublishesPerTurn: options.maxPublishesPerTurn,
        rateTickMs: options.rateTickMs,
        latencyCapacity: options.latencyCapacity,
        requestTimeoutMs: options.requestTimeoutMs,
        drainPollMs: options.drainPollMs,
      },
      options.rpcTimeoutMs,
    );
    await connectPhase(rig, subscribers, options, run);
    await rig.generator.call('openPublisher', {}, options.rpcTimeoutMs);
    await throughputPhase(rig, options, run);
    const delivery = await latencyPhase(rig, options, run, run.connect?.opened ?? subscribers);
    const closed = await rig.generator.call('close', {}, options.rpcTimeoutMs);
    const figures: DeliveryFigures = {
      published: delivery.published,
      publishFailures: delivery.publishFailures,
      expected: delivery.expected,
      delivered: delivery.delivered,
      undelivered: delivery.undelivered,
      duplicates: delivery.duplicates,
      disconnects: closed.disconnects,
    };
    run.delivery = figures;
    run.errors.push(
      ...delivery.errors.map((error) => `publish: ${error}`),
      ...closed.errors.map((error) => `disconnect: ${error}`),
    );
  } catch (error) {
    run.errors.push(message(error));
  } finally {
    if (rig) {
      const stopped = await stopRig(rig, options);
      run.errors.push(...stopped.errors);
      if (run.cluster && stopped.redisKeysDeleted !== undefined)
        run.cluster.redisKeysDeleted = stopped.redisKeysDeleted;
    }
  }
  return run;
}
