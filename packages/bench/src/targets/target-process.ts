import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { announceReady, serveRpc } from '../ipc/rpc.js';
import { exitAfterLifetime } from '../process/lifetime.js';

/** What a server under test reports about itself. */
export interface TargetStats {
  /** User + system CPU time since the process started, microseconds. */
  cpuMicros: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** `performance.now()` of the target when measured. */
  atMs: number;
}

export type TargetApi = {
  /** With `gc`, collects garbage first (twice) so heap and RSS are what live objects hold. */
  stats(args: { gc: boolean }): TargetStats;
};

/** Sent with the ready announcement. */
export interface TargetInfo {
  port: number;
}

/** Attaches the server under test to the shared HTTP server (before it listens). */
export type AttachTarget = (server: Server) => Promise<void> | void;

const collectGarbage = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  gc();
};

/**
 * Entry point of every target process: an HTTP server on 127.0.0.1 (port 0) with the target
 * attached, serving `stats` to the orchestrator. The process exits when the orchestrator goes away
 * (serveRpc), which closes every socket with it.
 */
export async function runTarget(attach: AttachTarget): Promise<void> {
  exitAfterLifetime(process.argv.slice(2));
  const server = createServer();
  server.keepAliveTimeout = 0; // HTTP targets hold requests; never close an idle keep-alive socket under load.
  await attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveRpc<TargetApi>({
    stats: ({ gc }) => {
      if (gc) collectGarbage();
      const { user, system } = process.cpuUsage();
      const memory = process.memoryUsage();
      return {
        cpuMicros: user + system,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        atMs: performance.now(),
      };
    },
  });
  announceReady({ port: (server.address() as AddressInfo).port } satisfies TargetInfo);
}
