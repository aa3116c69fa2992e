import { fail, ok, type Result } from '../errors.js';
import { parseJsonObjectBody } from './json-body.js';

/**
 * Tether's long-poll response body (server → client), one JSON object per response:
 *
 *   { "session": "<id>", "cursor": 12, "frames": ["{…}", "{…}"], "close"?: { "code": 4001, "reason": "…" } }
 *
 * `frames` are encoded server frames in order. `cursor` is what the next poll sends: the index after
 * the last frame in this batch. A poll that carries an older cursor gets the frames after it again,
 * so a response lost in flight loses nothing. An empty `frames` after the hold time is the heartbeat.
 */

export interface LongPollBatch {
  session: string;
  cursor: number;
  frames: string[];
  close?: { code: number; reason: string };
}

export const LONG_POLL_CONTENT_TYPE = 'application/json; charset=utf-8' as const;

export const encodeLongPollBatch = (batch: LongPollBatch): string => JSON.stringify(batch);

/**
 * The `frames` member of a batch on its own. A fan-out answers many polls with the same frames: encode
 * them once with this and build each body with `encodeLongPollBatchWithFrames`.
 */
export const encodeLongPollFrames = (frames: readonly string[]): string => JSON.stringify(frames);

/**
 * Byte for byte what `encodeLongPollBatch` writes for `{ ...batch, frames }`, given `frames` already
 * encoded by `encodeLongPollFrames`.
 */
export const encodeLongPollBatchWithFrames = (
  batch: Omit<LongPollBatch, 'frames'>,
  encodedFrames: string,
): string => {
  const close =
    batch.close === undefined
      ? ''
      : `,"close":${JSON.stringify({ code: batch.close.code, reason: batch.close.reason })}`;
  return `{"session":${JSON.stringify(batch.session)},"cursor":${JSON.stringify(batch.cursor)},"frames":${encodedFrames}${close}}`;
};

/**
 * What every batch of one session starts with, up to its cursor: a server answering the many polls
 * of a session builds it once and each batch with `encodeLongPollBatchAfterHead`.
 */
export const encodeLongPollBatchHead = (session: string): string =>
  `{"session":${JSON.stringify(session)},"cursor":`;

/**
 * Byte for byte what `encodeLongPollBatch` writes for `{ session, cursor, frames, close }`, given the
 * session's `encodeLongPollBatchHead`, a whole-number `cursor` and `frames` encoded by
 * `encodeLongPollFrames`.
 */
export const encodeLongPollBatchAfterHead = (
  head: string,
  cursor: number,
  encodedFrames: string,
  close?: { code: number; reason: string },
): string =>
  close === undefined
    ? `${head}${cursor},"frames":${encodedFrames}}`
    : `${head}${cursor},"frames":${encodedFrames},"close":${JSON.stringify({ code: close.code, reason: close.reason })}}`;

/** Parses a long-poll response body. Never throws. */
export function decodeLongPollBatch(raw: unknown): Result<LongPollBatch> {
  const body = parseJsonObjectBody(raw);
  if (!body.ok) return body;
  const record = body.value;
  const { session, cursor, frames, close } = record;
  if (typeof session !== 'string') return fail('invalid_body', 'no session');
  if (typeof cursor !== 'number' || !Number.isInteger(cursor) || cursor < 0)
    return fail('invalid_body', 'cursor must be a whole number');
  if (!Array.isArray(frames) || !frames.every((f): f is string => typeof f === 'string')) {
    return fail('invalid_body', 'frames must be an array of strings');
  }
  const batch: LongPollBatch = { session, cursor, frames };
  if (close !== undefined) {
    if (typeof close !== 'object' || close === null) return fail('invalid_body', 'close must be an object');
    const c = close as Record<string, unknown>;
    if (typeof c.code !== 'number') return fail('invalid_body', 'close.code must be a number');
    batch.close = { code: c.code, reason: typeof c.reason === 'string' ? c.reason : '' };
  }
  return ok(batch);
}

/** Parses the `cursor` query value; null when absent or malformed. */
export function parseCursor(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
