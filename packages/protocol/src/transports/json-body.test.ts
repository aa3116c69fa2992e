import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonBody, parseJsonObjectBody } from './json-body.js';

describe('parseJsonBody', () => {
  it('parses JSON text', () => {
    expect(parseJsonBody('[1,"a"]')).toEqual({ ok: true, value: [1, 'a'] });
  });

  it.each([
    ['not text', 42, 'body must be text'],
    ['a buffer-like object', { length: 2 }, 'body must be text'],
    ['broken JSON', '{"a":', 'body is not JSON'],
    ['empty text', '', 'body is not JSON'],
  ])('refuses %s with invalid_body', (_name, raw, message) => {
    const result = parseJsonBody(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_body');
      expect(result.error.message).toContain(message);
    }
  });
});

describe('parseJsonObjectBody', () => {
  it('returns the object', () => {
    expect(parseJsonObjectBody('{"error":"x","code":null}')).toEqual({
      ok: true,
      value: { error: 'x', code: null },
    });
  });

  it.each([['null'], ['[]'], ['"text"'], ['3']])('refuses %s: not an object', (raw) => {
    const result = parseJsonObjectBody(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('body must be an object');
  });

  it('never throws on any input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string()), (raw) => {
        expect(typeof parseJsonObjectBody(raw).ok).toBe('boolean');
      }),
    );
  });
});
