import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { HEARTBEAT_STOPPED, HeartbeatSweep, type HeartbeatPeer } from './heartbeat.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const INTERVAL = 25_000;
const TIMEOUT = 10_000;

/** A peer that answers each ping at once, or never (`answers` false); `alive()` is any other frame. */
class FakePeer implements HeartbeatPeer {
  unansweredPing = 0;
  pings = 0;
  deaths: number[] = [];

  constructor(
    private readonly answers: boolean,
    private readonly pingable = true,
  ) {}

  ping(): boolean {
    if (!this.pingable) return false;
    this.pings += 1;
    if (this.answers) this.alive();
    return true;
  }

  alive(): void {
    if (this.unansweredPing > 0) this.unansweredPing = 0;
  }

  unresponsive(): void {
    this.deaths.push(Date.now());
  }
}

function sweepOver(peers: Set<FakePeer>, timeoutMs = TIMEOUT): HeartbeatSweep {
  const sweep = new HeartbeatSweep(systemClock, { intervalMs: INTERVAL, timeoutMs }, () => peers.values());
  sweep.start();
  return sweep;
}

describe('HeartbeatSweep', () => {
  it('pings every peer every interval with one timer, and never declares an answering peer dead', () => {
    const peers = new Set([new FakePeer(true), new FakePeer(true)]);
    sweepOver(peers);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(INTERVAL - 1);
    expect([...peers].map((peer) => peer.pings)).toEqual([0, 0]);
    vi.advanceTimersByTime(1);
    expect([...peers].map((peer) => peer.pings)).toEqual([1, 1]);
    vi.advanceTimersByTime(INTERVAL * 4);
    expect([...peers].map((peer) => peer.pings)).toEqual([5, 5]);
    expect([...peers].flatMap((peer) => peer.deaths)).toEqual([]);
  });

  it('declares a silent peer dead once, timeoutMs after its ping, and stops pinging it', () => {
    const silent = new FakePeer(false);
    const answering = new FakePeer(true);
    sweepOver(new Set([silent, answering]));
    vi.advanceTimersByTime(INTERVAL + TIMEOUT - 1);
    expect(silent.deaths).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(silent.deaths).toEqual([INTERVAL + TIMEOUT]);
    expect(silent.unansweredPing).toBe(HEARTBEAT_STOPPED);
    vi.advanceTimersByTime(200_000);
    expect(silent.deaths).toHaveLength(1);
    expect(silent.pings).toBe(1);
    expect(answering.deaths).toEqual([]);
  });

  it('a peer that goes silent is dead within intervalMs + timeoutMs of its last sign of life, whenever it joined', () => {
    const peers = new Set<FakePeer>();
    sweepOver(peers);
    // Joins just after a sweep: the worst case for a timer shared by every connection.
    vi.advanceTimersByTime(INTERVAL + 1);
    const joinedAt = Date.now();
    const late = new FakePeer(false);
    peers.add(late);
    vi.advanceTimersByTime(INTERVAL + TIMEOUT);
    expect(late.deaths).toHaveLength(1);
    expect((late.deaths[0] ?? Infinity) - joinedAt).toBeLessThanOrEqual(INTERVAL + TIMEOUT);
  });

  it('a late pong within the timeout, or any other sign of life, cancels the deadline', () => {
    const peer = new FakePeer(false);
    sweepOver(new Set([peer]));
    vi.advanceTimersByTime(INTERVAL + TIMEOUT / 2);
    peer.alive();
    vi.advanceTimersByTime(INTERVAL);
    expect(peer.pings).toBe(2);
    peer.alive();
    // The next ping (at 3 × INTERVAL) goes unanswered: only its own deadline counts.
    vi.advanceTimersByTime(INTERVAL * 3 + TIMEOUT - Date.now() - 1);
    expect(peer.deaths).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(peer.deaths).toEqual([INTERVAL * 3 + TIMEOUT]);
  });

  it('with a timeout longer than the interval, an unanswered peer is not pinged again before its deadline', () => {
    const peer = new FakePeer(false);
    sweepOver(new Set([peer]), INTERVAL * 2);
    vi.advanceTimersByTime(INTERVAL * 3 - 1);
    expect(peer.pings).toBe(1);
    expect(peer.deaths).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(peer.deaths).toEqual([INTERVAL * 3]);
  });

  it('a peer that cannot be pinged (an HTTP session) is never declared dead', () => {
    const http = new FakePeer(false, false);
    sweepOver(new Set([http]));
    vi.advanceTimersByTime(INTERVAL * 10);
    expect(http.deaths).toEqual([]);
    expect(http.unansweredPing).toBe(0);
  });

  it('a peer taken out of the sweep (negative mark) is neither pinged nor declared dead', () => {
    const ended = new FakePeer(false);
    ended.unansweredPing = HEARTBEAT_STOPPED;
    sweepOver(new Set([ended]));
    vi.advanceTimersByTime(INTERVAL * 10);
    expect(ended.pings).toBe(0);
    expect(ended.deaths).toEqual([]);
  });

  it('stop() cancels the sweep and every pending deadline; start() resumes it', () => {
    const peer = new FakePeer(false);
    const sweep = sweepOver(new Set([peer]));
    vi.advanceTimersByTime(INTERVAL + 1_000);
    sweep.stop();
    expect(sweep.running).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100_000);
    expect(peer.deaths).toEqual([]);
    expect(peer.pings).toBe(1);
    peer.alive();
    sweep.start();
    sweep.start();
    expect(vi.getTimerCount()).toBe(1);
  });
});
