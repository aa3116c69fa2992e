import { describe, expect, it } from 'vitest';
import { benchDefaults, quickBenchDefaults } from '../bench-options.js';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('runs everything into results/latest by default', () => {
    const args = parseCliArgs([]);
    expect(args.options).toMatchObject({
      mode: 'full',
      subscriberCounts: benchDefaults.subscriberCounts,
      pin: true,
    });
    expect(args).toMatchObject({ only: [], out: 'latest' });
  });

  it('runs the quick mode into results/quick, also after pnpm’s "--"', () => {
    const args = parseCliArgs(['--', '--quick']);
    expect(args.options).toMatchObject({
      mode: 'quick',
      subscriberCounts: quickBenchDefaults.subscriberCounts,
    });
    expect(args.out).toBe('quick');
  });

  it('writes a partial run elsewhere unless told where', () => {
    expect(parseCliArgs(['--only', 'naive-ws, tether-sse']).only).toEqual(['naive-ws', 'tether-sse']);
    expect(parseCliArgs(['--subscribers', '10,20']).options.subscriberCounts).toEqual([10, 20]);
    expect(parseCliArgs(['--only', 'naive-ws']).out).toBe('partial');
    expect(parseCliArgs(['--only', 'naive-ws', '--out', 'mine']).out).toBe('mine');
  });

  it('takes --no-pin, --note and --cpu-prof', () => {
    const args = parseCliArgs(['--no-pin', '--note', 'busy machine', '--cpu-prof', '/tmp/prof']);
    expect(args.options.pin).toBe(false);
    expect(args.note).toBe('busy machine');
    expect(args.options.cpuProfileDir).toBe('/tmp/prof');
  });

  it('takes the cluster target’s Redis from --redis-url, 127.0.0.1:6379 by default', () => {
    expect(parseCliArgs([]).options.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(parseCliArgs(['--redis-url', 'redis://10.0.0.5:6380/2']).options.redisUrl).toBe(
      'redis://10.0.0.5:6380/2',
    );
  });

  it('refuses unknown flags and bad counts', () => {
    expect(() => parseCliArgs(['--fast'])).toThrow();
    expect(() => parseCliArgs(['--subscribers', '10,x'])).toThrow(/positive integers/);
    expect(() => parseCliArgs(['--subscribers', '0'])).toThrow(/positive integers/);
  });
});
