import { describe, expect, it } from 'vitest';
import { CloseCode } from '../close-codes.js';
import { decodeHttpError, encodeHttpError } from './http-error.js';

describe('http error body', () => {
  it('round-trips a session-not-found error and a session-neutral one', () => {
    for (const body of [
      { error: 'Session not found', code: CloseCode.SessionNotFound },
      { error: 'Request body is not in the expected format', code: null },
    ]) {
      const decoded = decodeHttpError(encodeHttpError(body));
      expect(decoded).toEqual({ ok: true, value: body });
    }
  });

  it('writes exactly the two fields', () => {
    expect(encodeHttpError({ error: 'x', code: 4210 })).toBe('{"error":"x","code":4210}');
  });

  it.each([
    [42],
    ['not json'],
    ['[]'],
    ['null'],
    ['{"code":4210}'],
    ['{"error":"x","code":"4210"}'],
    ['{"error":"x","code":4210.5}'],
    ['{"error":"x"}'],
  ])('rejects %j without throwing', (raw) => {
    const decoded = decodeHttpError(raw);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.code).toBe('invalid_body');
  });
});
