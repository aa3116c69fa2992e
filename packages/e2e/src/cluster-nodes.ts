import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { Redis } from 'ioredis';
import Pusher from 'pusher';

/** The Redis the cluster tests run against; CI makes sure it runs. Tests fail (never skip) without it. */
export const CLUSTER_REDIS_URL = process.env.TETHER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const clusterApp = { id: 'app-id', key: 'app-key', secret: 'app-secret' } as const;

const bin = fileURLToPath(new URL('../../server/bin/tether-server.mjs', import.meta.url));

export const clusterDefaults = {
  /** A CLI node prints its address within this (tsx compiles the sources on first start). */
  startTimeoutMs: 15_000,
  /** Drain bound given to every node (SIGTERM → 4200 → exit). */
  drainMs: 2_000,
} as const;

/** One `tether-server` process of the cluster. */
export interface ClusterNode {
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null after a signal kill). */
  readonly exited: Promise<number | null>;
  /** What the process printed (stdout and stderr). */
  output(): string;
  /** The official server SDK pointed at this node. */
  readonly sdk: Pusher;
}

/** A unique Redis key prefix: every test file gets its own cluster. */
export const uniqueClusterPrefix = (): string => `tether-e2e-${randomBytes(6).toString('hex')}`;

/** Starts the CLI (`bin/tether-server.mjs`, no build needed) on 127.0.0.1 port 0 as a node of the cluster under `prefix`. */
export function startClusterNode(prefix: string, extraArgs: readonly string[] = []): Promise<ClusterNode> {
  const child = spawn(
    process.execPath,
    [
      bin,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--redis-url',
      CLUSTER_REDIS_URL,
      '--redis-prefix',
      prefix,
      '--drain-ms',
      String(clusterDefaults.drainMs),
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tether-server did not start: ${output}`)),
      clusterDefaults.startTimeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      const port = Number(match[1]);
      const sdk = new Pusher({
        appId: clusterApp.id,
        key: clusterApp.key,
        secret: clusterApp.secret,
        host: '127.0.0.1',
        port: String(port),
        useTLS: false,
      });
      resolve({ port, child, exited, output: () => output, sdk });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tether-server exited with ${code}: ${output}`));
    });
  });
}

/** Every node of a test, killed in afterEach if still running. */
export class ClusterNodes {
  private readonly nodes: ClusterNode[] = [];

  constructor(readonly prefix: string) {}

  async start(count: number, extraArgs: readonly string[] = []): Promise<ClusterNode[]> {
    const started = await Promise.all(
      Array.from({ length: count }, () => startClusterNode(this.prefix, extraArgs)),
    );
    this.nodes.push(...started);
    return started;
  }

  /** SIGTERM to every node still running (a graceful cluster exit leaves Redis clean), SIGKILL after the drain bound. */
  async stopAll(): Promise<void> {
    const running = this.nodes
      .splice(0)
      .filter((node) => node.child.exitCode === null && node.child.signalCode === null);
    for (const node of running) node.child.kill('SIGTERM');
    const killAfter = setTimeout(() => {
      for (const node of running) node.child.kill('SIGKILL');
    }, clusterDefaults.drainMs * 2);
    await Promise.all(running.map((node) => node.exited));
    clearTimeout(killAfter);
  }
}

/** A plain Redis connection; rejects at once when Redis is not running. */
export async function connectClusterRedis(): Promise<Redis> {
  const redis = new Redis(CLUSTER_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    throw new Error(`Cluster tests need Redis at ${CLUSTER_REDIS_URL}`, { cause: error });
  }
  return redis;
}

/** Deletes every key under `prefix:`. */
export async function deleteClusterKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * The app backend every pusher-js client authenticates against (as an app writes it with the official
 * SDK): presence members take `user_id` from the client's auth params.
 */
export async function startAuthBackend(): Promise<{
  endpoint: string;
  userEndpoint: string;
  close(): Promise<void>;
}> {
  const sdk = new Pusher({
    appId: clusterApp.id,
    key: clusterApp.key,
    secret: clusterApp.secret,
    host: '127.0.0.1',
    useTLS: false,
  });
  const app = express();
  const form = express.urlencoded({ extended: false });
  app.post('/auth', form, (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const socketId = body.socket_id ?? '';
    const channel = body.channel_name ?? '';
    const userId = body.user_id ?? 'anonymous';
    res.set('Access-Control-Allow-Origin', '*');
    res.json(
      channel.startsWith('presence-')
        ? sdk.authorizeChannel(socketId, channel, { user_id: userId, user_info: { name: userId } })
        : sdk.authorizeChannel(socketId, channel),
    );
  });
  app.post('/user-auth', form, (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    res.json(sdk.authenticateUser(body.socket_id ?? '', { id: body.user_id ?? 'anonymous' }));
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}/auth`,
    userEndpoint: `http://127.0.0.1:${port}/user-auth`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
