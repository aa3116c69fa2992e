import { CloseCode } from '../close-codes.js';
import { fail, ok, type Result } from '../errors.js';
import { fitsInBytes } from '../utf8-length.js';
import { parseJsonObjectBody } from './json-body.js';

/**
 * The optional body of `POST /app/{key}/session/{session}/close`: the client ends its HTTP session the
 * way a WebSocket client sends a close frame. An empty body means `{ code: 1000, reason: "" }`.
 *
 *   { "code": 1000, "reason": "Client disconnected" }
 */
export interface SessionCloseBody {
  code: number;
  reason: string;
}

/**
 * The codes a client may close with are the ones a browser's WebSocket sends: 1000 and 3000–4999 from
 * `WebSocket.close`, 1001 when the page goes away. The reason has WebSocket's limit of 123 UTF-8 bytes.
 */
export const sessionCloseLimits = {
  defaultCode: CloseCode.NormalClosure,
  pageGoneCode: CloseCode.GoingAway,
  minApplicationCode: 3000,
  maxApplicationCode: 4999,
  maxReasonBytes: 123,
} as const;

export const isClientCloseCode = (code: unknown): code is number =>
  typeof code === 'number' &&
  Number.isInteger(code) &&
  (code === sessionCloseLimits.defaultCode ||
    code === sessionCloseLimits.pageGoneCode ||
    (code >= sessionCloseLimits.minApplicationCode && code <= sessionCloseLimits.maxApplicationCode));

export const encodeSessionCloseBody = (body: SessionCloseBody): string =>
  JSON.stringify({ code: body.code, reason: body.reason });

/** Parses a close body; empty text (or only whitespace) is the default close. Never throws. */
export function decodeSessionCloseBody(raw: unknown): Result<SessionCloseBody> {
  if (typeof raw !== 'string') return fail('invalid_body', 'body must be text');
  if (raw.trim() === '') return ok({ code: sessionCloseLimits.defaultCode, reason: '' });
  const body = parseJsonObjectBody(raw);
  if (!body.ok) return body;
  const { code = sessionCloseLimits.defaultCode, reason = '' } = body.value;
  if (!isClientCloseCode(code)) {
    const { defaultCode, pageGoneCode, minApplicationCode, maxApplicationCode } = sessionCloseLimits;
    return fail(
      'invalid_body',
      `code must be ${defaultCode}, ${pageGoneCode} or ${minApplicationCode}–${maxApplicationCode}`,
    );
  }
  if (typeof reason !== 'string') return fail('invalid_body', 'reason must be a string');
  if (!fitsInBytes(reason, sessionCloseLimits.maxReasonBytes)) {
    return fail('invalid_body', `reason longer than ${sessionCloseLimits.maxReasonBytes} bytes`);
  }
  return ok({ code, reason });
}
