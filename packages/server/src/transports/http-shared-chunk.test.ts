import { describe, expect, it } from 'vitest';
import { sharedEncoder } from './http-shared-chunk.js';

describe('sharedEncoder', () => {
  it('encodes a list once for every session handed the same frames, and again for any other list', () => {
    const calls: string[][] = [];
    const encode = sharedEncoder((frames) => {
      calls.push([...frames]);
      return frames.join('|');
    });
    const x = 'frame x';
    const y = 'frame y';
    for (let session = 0; session < 5; session += 1) expect(encode([x, y])).toBe('frame x|frame y');
    expect(calls).toEqual([[x, y]]);
    expect(encode([x])).toBe('frame x');
    expect(encode([y, x])).toBe('frame y|frame x');
    expect(encode([y, x, x])).toBe('frame y|frame x|frame x');
    expect(encode([])).toBe('');
    expect(calls).toHaveLength(5);
  });
});
