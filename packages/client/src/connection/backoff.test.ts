import { closeAction } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import { connectionDefaults } from '../options.js';
import { backoffDelay, immediateRetryDelay, planRetry } from './backoff.js';

const options = connectionDefaults;

describe('backoffDelay', () => {
  it('draws from [min, base × 2^(attempt+1)] with the injected random source', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(1000);
    expect(backoffDelay(0, options, () => 0.999999)).toBe(2000);
    expect(backoffDelay(1, options, () => 0.5)).toBe(2500);
    expect(backoffDelay(2, options, () => 0.999999)).toBe(8000);
  });

  it('is capped, and never below the minimum', () => {
    for (const attempt of [5, 10, 100, 10_000]) {
      expect(backoffDelay(attempt, options, () => 0.999999)).toBe(options.backoffCapMs);
      expect(backoffDelay(attempt, options, () => 0)).toBe(options.backoffMinMs);
    }
    expect(backoffDelay(-3, options, () => 0)).toBe(options.backoffMinMs);
  });

  it('jitters: different random draws give different delays within the window', () => {
    const delays = [0.1, 0.3, 0.6, 0.9].map((r) => backoffDelay(4, options, () => r));
    expect(new Set(delays).size).toBe(4);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(options.backoffMinMs);
      expect(d).toBeLessThanOrEqual(options.backoffCapMs);
    }
  });

  it('is pure: the same attempt and draw give the same delay', () => {
    expect(backoffDelay(3, options, () => 0.42)).toBe(backoffDelay(3, options, () => 0.42));
  });
});

describe('immediateRetryDelay', () => {
  it('lets the first immediate retry go at once, then spaces them out, doubling to the cap', () => {
    expect([0, 1, 2, 3, 4].map((n) => immediateRetryDelay(n, options))).toEqual([0, 250, 500, 1000, 2000]);
    expect(immediateRetryDelay(50, options)).toBe(options.immediateRetryCapMs);
  });
});

describe('planRetry: every close-code range and its action', () => {
  const fresh = { failures: 0, immediate: 0 };
  const cases: [number, string][] = [
    [1000, 'backoff'],
    [1001, 'backoff'],
    [1002, 'backoff'],
    [1003, 'backoff'],
    [1006, 'backoff'],
    [1011, 'backoff'],
    [4000, 'tls'],
    [4001, 'stop'],
    [4009, 'stop'],
    [4099, 'stop'],
    [4100, 'backoff'],
    [4110, 'backoff'],
    [4199, 'backoff'],
    [4200, 'immediate'],
    [4201, 'immediate'],
    [4210, 'immediate'],
    [4299, 'immediate'],
    [4300, 'stop'],
    [4301, 'stop'],
    [4999, 'stop'],
  ];
  it.each(cases)('close %i → %s', (code, expected) => {
    const plan = planRetry(closeAction(code), fresh, options, () => 0);
    switch (expected) {
      case 'stop':
        expect(plan).toEqual({ kind: 'stop' });
        break;
      case 'tls':
        expect(plan).toEqual({ kind: 'immediate', delayMs: 0, switchToTls: true });
        break;
      case 'immediate':
        expect(plan).toEqual({ kind: 'immediate', delayMs: 0, switchToTls: false });
        break;
      default:
        expect(plan).toEqual({ kind: 'backoff', delayMs: options.backoffMinMs });
    }
  });

  it('paces immediate retries by the streak and backs off by the failures', () => {
    expect(planRetry('retry', { failures: 3, immediate: 3 }, options, () => 0)).toEqual({
      kind: 'immediate',
      delayMs: 1000,
      switchToTls: false,
    });
    const plan = planRetry('backoff', { failures: 3, immediate: 0 }, options, () => 0.999999);
    expect(plan).toEqual({ kind: 'backoff', delayMs: 16_000 });
  });
});
