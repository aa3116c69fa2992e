/**
 * The orchestrator's side of the cluster target's Redis: make sure it answers before a run, give each
 * run a key prefix of its own, and delete every key a run wrote once its servers are gone.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const clusterRedisDefaults = {
  /** Connecting and each command. */
  timeoutMs: 3_000,
  /** Keys asked for per SCAN call. */
  scanCount: 1_000,
  /** SCAN calls per sweep: the bound on the cleanup loop (a million keys at the count above). */
  maxScans: 1_000,
} as const;

/** Every bench run's prefix starts with this: `redis-cli --scan --pattern 'tether-bench-*'` finds strays. */
export const BENCH_PREFIX_HEAD = 'tether-bench-' as const;

/** A prefix no other run (of this bench, another helper's, a test's) uses. */
export const uniqueRedisPrefix = (): string => `${BENCH_PREFIX_HEAD}${randomBytes(8).toString('hex')}`;

/** Hides a password in a Redis URL before it is printed. */
export const redactRedisUrl = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');

/** One connection for the orchestrator: no retries, no offline queue, every command bounded in time. */
async function openRedis(url: string, timeoutMs: number): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Failures reach the caller through the rejected call; a refused connect is reported by its cause
  // (ECONNREFUSED…), not by ioredis's "Connection is closed".
  let socketError: unknown;
  redis.on('error', (error: unknown) => (socketError ??= error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw socketError ?? error;
  }
  return redis;
}

/** Resolves when Redis answers PING; otherwise throws an error that says what to do. */
export async function checkRedis(
  url: string,
  timeoutMs: number = clusterRedisDefaults.timeoutMs,
): Promise<void> {
  let connection: Redis | undefined;
  try {
    connection = await openRedis(url, timeoutMs);
    const reply = await connection.ping();
    if (reply !== 'PONG') throw new Error(`PING answered ${JSON.stringify(reply)}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the cluster target needs Redis at ${redactRedisUrl(url)} and cannot reach it (${reason}); start Redis (redis-server) or leave the target out with --only`,
      { cause: error },
    );
  } finally {
    connection?.disconnect();
  }
}

/** `*`, `?`, `[`, `]` and `\` taken literally in a SCAN MATCH pattern. */
const globLiteral = (text: string): string => text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);

async function sweep(
  connection: Redis,
  prefix: string,
  onKeys: (keys: string[]) => Promise<void>,
): Promise<void> {
  const { scanCount, maxScans } = clusterRedisDefaults;
  const pattern = `${globLiteral(prefix)}:*`;
  let cursor = '0';
  for (let scans = 0; scans < maxScans; scans += 1) {
    const [next, keys] = await connection.scan(cursor, 'MATCH', pattern, 'COUNT', scanCount);
    if (keys.length > 0) await onKeys(keys);
    cursor = next;
    if (cursor === '0') return;
  }
  throw new Error(`more keys under ${prefix} than ${maxScans} SCAN calls reach`);
}

/** The keys under `{prefix}:` now. */
export async function keysUnder(url: string, prefix: string): Promise<string[]> {
  const connection = await openRedis(url, clusterRedisDefaults.timeoutMs);
  try {
    const found: string[] = [];
    await sweep(connection, prefix, (keys) => {
      found.push(...keys);
      return Promise.resolve();
    });
    return found;
  } finally {
    connection.disconnect();
  }
}

/**
 * Deletes every key under `{prefix}:` (call it once the servers that wrote them have exited); returns
 * how many it deleted. Two sweeps: the second catches a key written while the first was scanning.
 */
export async function deleteKeysUnder(url: string, prefix: string): Promise<number> {
  const connection = await openRedis(url, clusterRedisDefaults.timeoutMs);
  try {
    let deleted = 0;
    const unlink = async (keys: string[]): Promise<void> => {
      deleted += await connection.unlink(...keys);
    };
    await sweep(connection, prefix, unlink);
    await sweep(connection, prefix, unlink);
    return deleted;
  } finally {
    connection.disconnect();
  }
}
