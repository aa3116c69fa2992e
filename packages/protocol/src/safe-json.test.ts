import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasForbiddenKey, parseJsonSafely } from './safe-json.js';

describe('parseJsonSafely', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonSafely('{"a":[1,"b",null]}')).toEqual({ ok: true, value: { a: [1, 'b', null] } });
  });

  it.each([
    '{"__proto__":{"x":1}}',
    '{"a":{"b":[{"__proto__":null}]}}',
    '{"prototype":1}',
    '[{"constructor":{"prototype":{}}}]',
  ])('refuses %s', (text) => {
    expect(parseJsonSafely(text)).toMatchObject({ ok: false, error: { code: 'forbidden_key' } });
  });

  it('allows constructor alone and the words as values', () => {
    expect(parseJsonSafely('{"constructor":"x","v":"__proto__","w":["prototype"]}').ok).toBe(true);
  });

  it('does not pollute Object.prototype', () => {
    parseJsonSafely('{"__proto__":{"pollutedBySafeJson":true}}');
    expect(({} as Record<string, unknown>).pollutedBySafeJson).toBeUndefined();
  });

  it('reports bad JSON as invalid_json and never throws (property)', () => {
    expect(parseJsonSafely('{')).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json()), (text) => {
        expect(typeof parseJsonSafely(text).ok).toBe('boolean');
      }),
    );
  });
});

describe('hasForbiddenKey', () => {
  it('finds own __proto__ keys in parsed objects and arrays', () => {
    expect(hasForbiddenKey(JSON.parse('{"a":[{"__proto__":1}]}'))).toBe(true);
    expect(hasForbiddenKey({ prototype: 1 })).toBe(true);
    expect(hasForbiddenKey({ a: { constructor: 1 } })).toBe(false);
    expect(hasForbiddenKey('__proto__')).toBe(false);
    expect(hasForbiddenKey(null)).toBe(false);
  });

  it('stops at maxDepth', () => {
    const deep = JSON.parse('{"a":{"b":{"__proto__":1}}}');
    expect(hasForbiddenKey(deep, 2)).toBe(true);
    expect(hasForbiddenKey(deep, 1)).toBe(false);
  });

  it('agrees with parseJsonSafely on shallow documents (property)', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), (text) => {
        const value: unknown = JSON.parse(text);
        expect(hasForbiddenKey(value)).toBe(!parseJsonSafely(text).ok);
      }),
    );
  });
});
