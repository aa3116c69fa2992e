import { encodeSseFrame } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import { httpFallbackDefaults } from './http-fallback-options.js';
import { sseFraming } from './sse.js';

describe('sseFraming', () => {
  const a = sseFraming(httpFallbackDefaults);
  const b = sseFraming(httpFallbackDefaults);

  it('encodes each frame as protocol SSE, one after the other', () => {
    const frames = ['{"event":"e","data":"1"}', 'two\nlines', '{"event":"e","data":"3"}'];
    expect(a.frames(frames)).toBe(frames.map((frame) => encodeSseFrame(frame)).join(''));
    expect(a.frames([])).toBe('');
  });

  it('encodes the frames of a fan-out once for every stream and never hands out a stale chunk', () => {
    const first = '{"event":"e","channel":"c","data":"x"}';
    const second = '{"event":"e","channel":"c","data":"y"}';
    expect(a.frames([first])).toBe(encodeSseFrame(first));
    expect(b.frames([first])).toBe(a.frames([first]));
    expect(b.frames([second])).toBe(encodeSseFrame(second));
    expect(a.frames([first, second])).toBe(encodeSseFrame(first) + encodeSseFrame(second));
    expect(a.frames([first])).toBe(encodeSseFrame(first));
  });
});
