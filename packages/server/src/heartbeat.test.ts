import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { Heartbeat } from './heartbeat.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(answer: boolean) {
  const pings: (() => void)[] = [];
  const dead = vi.fn();
  const heartbeat = new Heartbeat(
    systemClock,
    { intervalMs: 25_000, timeoutMs: 10_000 },
    {
      ping: (onPong) => {
        pings.push(onPong);
        if (answer) onPong();
      },
      dead,
    },
  );
  return { heartbeat, pings, dead };
}

describe('Heartbeat', () => {
  it('pings every interval and never declares an answering peer dead', () => {
    const { heartbeat, pings, dead } = setup(true);
    heartbeat.start();
    vi.advanceTimersByTime(24_999);
    expect(pings).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(pings).toHaveLength(1);
    vi.advanceTimersByTime(25_000 * 4);
    expect(pings).toHaveLength(5);
    expect(dead).not.toHaveBeenCalled();
  });

  it('declares a silent peer dead once, timeoutMs after the ping, and stops', () => {
    const { heartbeat, pings, dead } = setup(false);
    heartbeat.start();
    vi.advanceTimersByTime(25_000 + 9_999);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(200_000);
    expect(dead).toHaveBeenCalledTimes(1);
    expect(pings).toHaveLength(1);
  });

  it('a late pong within the timeout, or any other sign of life, cancels the deadline', () => {
    const { heartbeat, pings, dead } = setup(false);
    heartbeat.start();
    vi.advanceTimersByTime(25_000 + 5_000);
    pings[0]?.();
    vi.advanceTimersByTime(25_000);
    expect(pings).toHaveLength(2);
    heartbeat.alive();
    vi.advanceTimersByTime(19_999);
    expect(dead).not.toHaveBeenCalled();
    expect(pings).toHaveLength(2);
  });

  it('stop() cancels everything', () => {
    const { heartbeat, pings, dead } = setup(false);
    heartbeat.start();
    vi.advanceTimersByTime(26_000);
    heartbeat.stop();
    vi.advanceTimersByTime(100_000);
    expect(dead).not.toHaveBeenCalled();
    expect(pings).toHaveLength(1);
  });
});
