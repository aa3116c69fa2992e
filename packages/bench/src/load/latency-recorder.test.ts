import { describe, expect, it } from 'vitest';
import { LatencyRecorder, percentile } from './latency-recorder.js';

describe('LatencyRecorder', () => {
  it('reports nearest-rank percentiles and the maximum', () => {
    const recorder = new LatencyRecorder(1000);
    for (let ms = 100; ms >= 1; ms -= 1) recorder.record(ms);
    expect(recorder.summary()).toEqual({ samples: 100, dropped: 0, p50Ms: 50, p99Ms: 99, maxMs: 100 });
  });

  it('counts samples past its capacity as dropped and starts over on reset', () => {
    const recorder = new LatencyRecorder(2);
    [1, 2, 3].forEach((ms) => recorder.record(ms));
    expect(recorder.summary()).toMatchObject({ samples: 2, dropped: 1 });
    recorder.reset();
    expect(recorder.summary().samples).toBe(0);
    expect(recorder.summary().p50Ms).toBeNaN();
  });

  it('has no percentile of nothing', () => {
    expect(percentile(new Float64Array(0), 0.5)).toBeNaN();
  });
});
