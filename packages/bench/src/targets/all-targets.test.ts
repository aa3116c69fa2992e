import { describe, expect, it } from 'vitest';
import { baselineTargets } from './baseline-targets.js';
import { allTargets } from './all-targets.js';
import { tetherTargets } from './tether-targets.js';

describe('allTargets', () => {
  it('runs every target once', () => {
    const ids = allTargets.map((spec) => spec.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...baselineTargets, ...tetherTargets].map((spec) => spec.id).sort());
  });

  it('compares Tether only with baselines that run, and runs a Tether target after its first baseline', () => {
    const ids = allTargets.map((spec) => spec.id);
    for (const spec of tetherTargets) {
      for (const baseline of spec.compareWith) expect(ids).toContain(baseline);
      const first = spec.compareWith[0];
      expect(first).toBeDefined();
      expect(ids.indexOf(spec.id)).toBeGreaterThan(ids.indexOf(first ?? ''));
    }
  });
});
