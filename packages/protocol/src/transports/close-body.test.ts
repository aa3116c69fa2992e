import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSessionCloseBody,
  encodeSessionCloseBody,
  isClientCloseCode,
  sessionCloseLimits,
} from './close-body.js';

describe('session close body', () => {
  it('reads an empty body as a normal close', () => {
    expect(decodeSessionCloseBody('')).toEqual({ ok: true, value: { code: 1000, reason: '' } });
    expect(decodeSessionCloseBody(' \n')).toEqual({ ok: true, value: { code: 1000, reason: '' } });
    expect(decodeSessionCloseBody('{}')).toEqual({ ok: true, value: { code: 1000, reason: '' } });
  });

  it('round-trips every code a client may send, with a reason (property)', () => {
    const code = fc.oneof(fc.constantFrom(1000, 1001), fc.integer({ min: 3000, max: 4999 }));
    fc.assert(
      fc.property(code, fc.string({ maxLength: 30 }), (c, reason) => {
        expect(decodeSessionCloseBody(encodeSessionCloseBody({ code: c, reason }))).toEqual({
          ok: true,
          value: { code: c, reason },
        });
      }),
    );
  });

  it.each([
    ['not text', 42],
    ['not JSON', '{'],
    ['an array', '[]'],
    ['a reserved code', '{"code":1006}'],
    ['a code out of range', '{"code":5000}'],
    ['a fractional code', '{"code":3000.5}'],
    ['a string code', '{"code":"1000"}'],
    ['a reason that is not a string', '{"reason":7}'],
    ['a reason over 123 bytes', JSON.stringify({ reason: 'é'.repeat(62) })],
  ])('refuses %s with invalid_body', (_name, raw) => {
    expect(decodeSessionCloseBody(raw)).toMatchObject({
      ok: false,
      error: { code: 'invalid_body', closeCode: null },
    });
  });

  it('takes a reason of exactly 123 bytes', () => {
    const reason = 'a'.repeat(sessionCloseLimits.maxReasonBytes);
    expect(decodeSessionCloseBody(JSON.stringify({ reason }))).toEqual({
      ok: true,
      value: { code: 1000, reason },
    });
  });

  it('isClientCloseCode takes 1000, 1001 and 3000–4999 only', () => {
    expect([999, 1000, 1001, 1002, 2999, 3000, 4999, 5000].map(isClientCloseCode)).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.anything()), (raw) => {
        expect(typeof decodeSessionCloseBody(raw).ok).toBe('boolean');
      }),
    );
  });
});
