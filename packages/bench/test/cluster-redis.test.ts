import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { benchDefaults } from '../src/bench-options.js';
import {
  BENCH_PREFIX_HEAD,
  checkRedis,
  deleteKeysUnder,
  keysUnder,
  uniqueRedisPrefix,
} from '../src/redis/cluster-redis.js';

/** The Redis the cluster target uses; these tests fail (never skip) without it, as the bench does. */
const REDIS_URL = benchDefaults.redisUrl;
const TIMEOUT_MS = 3_000;

const written: string[] = [];

async function write(keys: readonly string[]): Promise<void> {
  const connection = new Redis(REDIS_URL, { commandTimeout: TIMEOUT_MS });
  try {
    for (const key of keys) {
      await connection.sadd(key, 'member');
      written.push(key);
    }
  } finally {
    connection.disconnect();
  }
}

afterEach(async () => {
  const connection = new Redis(REDIS_URL, { commandTimeout: TIMEOUT_MS });
  try {
    if (written.length > 0) await connection.del(...written.splice(0));
  } finally {
    connection.disconnect();
  }
});

describe('cluster Redis housekeeping', () => {
  it('answers when Redis is there, and fails with what to do when it is not', async () => {
    await expect(checkRedis(REDIS_URL)).resolves.toBeUndefined();
    await expect(checkRedis('redis://127.0.0.1:1', 1_000)).rejects.toThrow(
      /cluster target needs Redis at redis:\/\/127\.0\.0\.1:1 .*ECONNREFUSED.*--only/,
    );
  });

  it('gives every run its own prefix', () => {
    const a = uniqueRedisPrefix();
    expect(a.startsWith(BENCH_PREFIX_HEAD)).toBe(true);
    expect(uniqueRedisPrefix()).not.toBe(a);
  });

  it('deletes every key under the prefix and nothing else, across many SCAN pages', async () => {
    const prefix = uniqueRedisPrefix();
    const mine = Array.from({ length: 2_500 }, (_, i) => `${prefix}:app:bench:subs:${i}`);
    const others = [`${prefix}x:nodes`, `${prefix}`, `other-${prefix}:nodes`];
    await write([...mine, ...others]);
    expect((await keysUnder(REDIS_URL, prefix)).sort()).toEqual([...mine].sort());
    expect(await deleteKeysUnder(REDIS_URL, prefix)).toBe(mine.length);
    expect(await keysUnder(REDIS_URL, prefix)).toEqual([]);
    expect((await keysUnder(REDIS_URL, `${prefix}x`)).length).toBe(1);
    expect((await keysUnder(REDIS_URL, `other-${prefix}`)).length).toBe(1);
  });

  it('takes glob characters in a prefix literally', async () => {
    const prefix = uniqueRedisPrefix();
    await write([`${prefix}-a:k`, `${prefix}-b:k`]);
    expect(await deleteKeysUnder(REDIS_URL, `${prefix}-[ab]`)).toBe(0);
    expect(await deleteKeysUnder(REDIS_URL, `${prefix}-*`)).toBe(0);
    expect((await keysUnder(REDIS_URL, `${prefix}-a`)).length).toBe(1);
  });
});
