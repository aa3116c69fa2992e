import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisScript, type RedisScriptName } from './redis-scripts.js';

const SHA1: Record<RedisScriptName, string> = Object.fromEntries(
  Object.entries(RedisScript).map(([name, lua]) => [name, createHash('sha1').update(lua).digest('hex')]),
) as Record<RedisScriptName, string>;

/** Runs one of the adapter's scripts by SHA, loading it on the first NOSCRIPT (a fresh or restarted Redis). */
export async function runScript(
  redis: Redis,
  name: RedisScriptName,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(SHA1[name], keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(RedisScript[name], keys.length, ...keys, ...args);
  }
}

/** A script reply as numbers and strings; anything else (never expected) becomes an empty list. */
export function replyList(reply: unknown): (string | number)[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(
    (item): item is string | number => typeof item === 'string' || typeof item === 'number',
  );
}
