import { fail, ok, type Result } from './errors.js';

/**
 * `__proto__` is the key JSON.parse turns into an own property that a later spread or Object.assign
 * follows; `prototype` is the second half of `constructor.prototype`. `constructor` alone is a common,
 * harmless data key (a person's role, say) and stays allowed.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype']);

/**
 * JSON.parse that never throws and refuses prototype-pollution keys anywhere in the document, so
 * no later merge or spread of untrusted data can reach Object.prototype.
 */
export function parseJsonSafely(text: string): Result<unknown> {
  let forbidden: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, function reviver(this: unknown, key: string, v: unknown) {
      if (FORBIDDEN_KEYS.has(key)) forbidden = key;
      return v;
    });
  } catch {
    return fail('invalid_json');
  }
  if (forbidden !== undefined) return fail('forbidden_key', forbidden);
  return ok(value);
}

/** Checks an already-parsed value for forbidden keys, at most `maxDepth` levels deep. */
export function hasForbiddenKey(value: unknown, maxDepth = 32): boolean {
  if (maxDepth < 0 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasForbiddenKey(item, maxDepth - 1));
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return true;
    if (hasForbiddenKey((value as Record<string, unknown>)[key], maxDepth - 1)) return true;
  }
  return false;
}
