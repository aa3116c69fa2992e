import { describe, expect, it } from 'vitest';
import { webhookDefaults } from './webhook-options.js';
import { webhookRetryDelay } from './webhook-retry-delay.js';

const { retryBaseDelayMs: base, retryMaxDelayMs: max } = webhookDefaults;

describe('webhookRetryDelay', () => {
  it('doubles from the base, with half of it jittered', () => {
    expect(webhookRetryDelay(1, () => 0, base, max)).toBe(500);
    expect(webhookRetryDelay(1, () => 0.999999, base, max)).toBe(1000);
    expect(webhookRetryDelay(2, () => 0, base, max)).toBe(1000);
    expect(webhookRetryDelay(4, () => 0.5, base, max)).toBe(6000);
  });

  it('is capped and never zero', () => {
    expect(webhookRetryDelay(30, () => 0.999999, base, max)).toBe(max);
    expect(webhookRetryDelay(30, () => 0, base, max)).toBe(max / 2);
    expect(webhookRetryDelay(0, () => 0, base, max)).toBeGreaterThan(0);
  });

  it('keeps retrying for the 5-minute window with the defaults', () => {
    let elapsed = 0;
    let attempts = 0;
    for (
      let attempt = 1;
      elapsed + webhookRetryDelay(attempt, () => 0.5, base, max) <= webhookDefaults.retryWindowMs;
      attempt += 1
    ) {
      elapsed += webhookRetryDelay(attempt, () => 0.5, base, max);
      attempts += 1;
    }
    expect(attempts).toBeGreaterThanOrEqual(8);
    expect(elapsed).toBeGreaterThan(4 * 60_000);
  });
});
