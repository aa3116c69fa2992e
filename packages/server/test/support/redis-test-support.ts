import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisAdapter, type TetherServerInput } from '@tether/server';
import { startServer, type TestServer } from './test-server.js';

/** The Redis every scale-out test uses; CI makes sure it runs. Tests fail (never skip) without it. */
export const TEST_REDIS_URL = process.env.TETHER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test (or run) shares. */
export const uniqueRedisPrefix = (): string => `tether-test-${randomBytes(6).toString('hex')}`;

/** A plain connection for checks and cleanup; rejects at once when Redis is not running. */
export async function connectTestRedis(): Promise<Redis> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    throw new Error(
      `These tests need Redis at ${TEST_REDIS_URL}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return redis;
}

/** Every key under `prefix:`. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Deletes every key under `prefix:`. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

/** Fast liveness for tests: a silent node is reaped within about half a second. */
export const fastLiveness = { heartbeatIntervalMs: 100, nodeTimeoutMs: 400 } as const;

/** A Tether node sharing `prefix` in the test Redis (fast liveness), resolved once its adapter is ready. */
export async function startRedisNode(prefix: string, options: TetherServerInput = {}): Promise<TestServer> {
  const adapter = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix: prefix, ...fastLiveness });
  const node = await startServer({ ...options, adapter });
  try {
    await adapter.whenReady();
  } catch (error) {
    await node.close();
    throw error;
  }
  return node;
}

/** Polls `condition` (state held in another process: Redis, a reconnecting client) until it holds. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
