import { fail, ok, type Result } from '../errors.js';

/**
 * The first step of every HTTP body decoder: text in, one parsed JSON value out. Never throws;
 * anything that is not text holding JSON is an `invalid_body` error.
 */
export function parseJsonBody(raw: unknown): Result<unknown> {
  if (typeof raw !== 'string') return fail('invalid_body', 'body must be text');
  try {
    return ok(JSON.parse(raw) as unknown);
  } catch {
    return fail('invalid_body', 'body is not JSON');
  }
}

/** `parseJsonBody`, then insists on a JSON object (not null, not an array). */
export function parseJsonObjectBody(raw: unknown): Result<Record<string, unknown>> {
  const parsed = parseJsonBody(raw);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('invalid_body', 'body must be an object');
  return ok(value as Record<string, unknown>);
}
