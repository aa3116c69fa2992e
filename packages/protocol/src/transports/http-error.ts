import { fail, ok, type Result } from '../errors.js';
import { parseJsonObjectBody } from './json-body.js';

/**
 * The JSON body of every failed request to Tether's HTTP transports (SSE, long-poll, send) and to
 * pusher-js's `xhr_*` endpoints:
 *
 *   { "error": "Session not found", "code": 4210 }
 *
 * `error` is for people. `code` is the close code the client should act on, as if the connection had
 * closed with it (4210: the session is gone, open a new one); null when the session is unaffected
 * (a malformed send body: the request failed, the session lives on).
 */
export interface HttpErrorBody {
  error: string;
  code: number | null;
}

export const HTTP_ERROR_CONTENT_TYPE = 'application/json; charset=utf-8' as const;

export const encodeHttpError = (body: HttpErrorBody): string =>
  JSON.stringify({ error: body.error, code: body.code });

/** Parses an error body. Never throws. */
export function decodeHttpError(raw: unknown): Result<HttpErrorBody> {
  const body = parseJsonObjectBody(raw);
  if (!body.ok) return body;
  const { error, code } = body.value;
  if (typeof error !== 'string') return fail('invalid_body', 'error must be a string');
  if (code !== null && (typeof code !== 'number' || !Number.isInteger(code)))
    return fail('invalid_body', 'code must be an integer or null');
  return ok({ error, code });
}
