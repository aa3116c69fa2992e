import { fail, ok, type Result } from '../errors.js';
import { fitsInBytes } from '../utf8-length.js';
import { parseJsonBody } from './json-body.js';

/**
 * The client-to-server body of every HTTP transport (ours and pusher-js's `xhr_send`): a JSON array
 * of strings, each one encoded frame, processed in order. `[]` is a valid body (pusher-js's ping).
 */
export interface SendBodyLimits {
  maxBodyBytes: number;
  maxFrames: number;
}

export const sendBodyLimitsDefaults = {
  maxBodyBytes: 256 * 1024,
  maxFrames: 100,
} as const satisfies SendBodyLimits;

export const encodeSendBody = (frames: readonly string[]): string => JSON.stringify(frames);

/** Parses a send body into frame strings. Never throws. */
export function decodeSendBody(raw: unknown, limits: Partial<SendBodyLimits> = {}): Result<string[]> {
  if (typeof raw !== 'string') return fail('invalid_body', 'body must be text');
  const maxBytes = limits.maxBodyBytes ?? sendBodyLimitsDefaults.maxBodyBytes;
  if (!fitsInBytes(raw, maxBytes)) return fail('frame_too_large', `body larger than ${maxBytes} bytes`);
  const parsed = parseJsonBody(raw);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!Array.isArray(value)) return fail('invalid_body', 'body must be a JSON array');
  const maxFrames = limits.maxFrames ?? sendBodyLimitsDefaults.maxFrames;
  if (value.length > maxFrames) return fail('invalid_body', `more than ${maxFrames} frames in one body`);
  const frames: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string')
      return fail('invalid_body', 'each element must be a string holding one frame');
    frames.push(item);
  }
  return ok(frames);
}
