/**
 * Entry point of the load-generator process: one LoadEngine per run, driven by the orchestrator
 * over IPC. Exits when the orchestrator goes away, and in any case after `--lifetime-ms`.
 */
import { announceReady, serveRpc } from '../ipc/rpc.js';
import { exitAfterLifetime } from '../process/lifetime.js';
import type { LatencySummary } from './latency-recorder.js';
import {
  LoadEngine,
  type CloseReport,
  type ConnectReport,
  type DeliveryReport,
  type EngineSnapshot,
  type LoadEngineOptions,
  type PublishMode,
} from './load-engine.js';

export type GeneratorApi = {
  setup(args: LoadEngineOptions): null;
  connect(args: { count: number }): ConnectReport;
  openPublisher(args: Record<string, never>): null;
  startPublishing(args: PublishMode): null;
  stopPublishing(args: Record<string, never>): null;
  recordLatency(args: { on: boolean }): null;
  latency(args: Record<string, never>): LatencySummary;
  snapshot(args: Record<string, never>): EngineSnapshot;
  drain(args: { deadlineMs: number }): DeliveryReport;
  close(args: Record<string, never>): CloseReport;
};

exitAfterLifetime(process.argv.slice(2));

let engine: LoadEngine | undefined;
const current = (): LoadEngine => {
  if (!engine) throw new Error('generator: setup first');
  return engine;
};

serveRpc<GeneratorApi>({
  setup: (options) => {
    engine = new LoadEngine(options);
    return null;
  },
  connect: ({ count }) => current().connect(count),
  openPublisher: async () => {
    await current().openPublisher();
    return null;
  },
  startPublishing: (mode) => {
    current().startPublishing(mode);
    return null;
  },
  stopPublishing: () => {
    current().stopPublishing();
    return null;
  },
  recordLatency: ({ on }) => {
    current().recordLatency(on);
    return null;
  },
  latency: () => current().latencySummary(),
  snapshot: () => current().snapshot(),
  drain: ({ deadlineMs }) => current().drain(deadlineMs),
  close: () => current().close(),
});
announceReady(null);
