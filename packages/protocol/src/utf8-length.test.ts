import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsInBytes, utf8Length } from './utf8-length.js';

/** Any UTF-16 code units, lone surrogates included. */
const utf16 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 64 })
  .map((units) => String.fromCharCode(...units));
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), utf16);

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud83d', 3],
    ['\ude00', 3],
    ['\ude00\ud83d', 6],
    ['a\ud83d', 4],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
  });

  it('matches Buffer.byteLength on random strings (property)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('fitsInBytes', () => {
  it('agrees with the exact count at every limit (property)', () => {
    fc.assert(
      fc.property(anyText, fc.nat(300), (text, max) => {
        expect(fitsInBytes(text, max)).toBe(Buffer.byteLength(text, 'utf8') <= max);
      }),
      { numRuns: 1000 },
    );
  });
});
