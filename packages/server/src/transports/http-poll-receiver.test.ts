import { describe, expect, it } from 'vitest';
import { headersByLength } from './http-poll-receiver.js';

describe('headersByLength', () => {
  const build = (contentLength: string) => ({
    'Content-Type': 'text/plain',
    'Content-Length': contentLength,
  });

  it('hands every answer of one length the same frozen header set, and builds a new one for another length', () => {
    const headers = headersByLength(build);
    const first = headers(12);
    expect(first).toEqual({ 'Content-Type': 'text/plain', 'Content-Length': '12' });
    expect(headers(12)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const other = headers(7);
    expect(other).toEqual({ 'Content-Type': 'text/plain', 'Content-Length': '7' });
    expect(headers(12)).toEqual({ 'Content-Type': 'text/plain', 'Content-Length': '12' });
    // The set handed out earlier is never changed by later answers.
    expect(first['Content-Length']).toBe('12');
  });

  it('answers length 0 too (the first length asked is never mistaken for one seen before)', () => {
    expect(headersByLength(build)(0)).toEqual({ 'Content-Type': 'text/plain', 'Content-Length': '0' });
  });
});
