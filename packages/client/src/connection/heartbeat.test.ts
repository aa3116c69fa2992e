import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/connection-fakes.js';
import { connectionDefaults } from '../options.js';
import { activityTimeoutAfterDrop, effectiveActivityTimeout, Heartbeat } from './heartbeat.js';

function setup(pongTimeout = 30_000) {
  const clock = new FakeClock();
  const events: string[] = [];
  const heartbeat = new Heartbeat(
    clock,
    { pongTimeout },
    {
      ping: () => events.push(`ping@${clock.now()}`),
      dead: () => events.push(`dead@${clock.now()}`),
    },
  );
  return { clock, events, heartbeat };
}

describe('Heartbeat', () => {
  it('pings after the activity timeout and declares the connection dead when no pong comes in time', async () => {
    const { clock, events, heartbeat } = setup();
    heartbeat.start(120_000);
    await clock.advance(119_999);
    expect(events).toEqual([]);
    await clock.advance(1);
    expect(events).toEqual(['ping@120000']);
    await clock.advance(30_000);
    expect(events).toEqual(['ping@120000', 'dead@150000']);
    await clock.advance(500_000);
    expect(events).toHaveLength(2);
  });

  it('counts any inbound frame as activity: the ping timer restarts and a pending pong is satisfied', async () => {
    const { clock, events, heartbeat } = setup();
    heartbeat.start(10_000);
    await clock.advance(9_000);
    heartbeat.activity();
    await clock.advance(9_000);
    expect(events).toEqual([]);
    await clock.advance(1_000);
    expect(events).toEqual(['ping@19000']);
    await clock.advance(5_000);
    heartbeat.activity(); // the pong, at 24 s: no dead connection, next ping 10 s later
    await clock.advance(9_999);
    expect(events).toEqual(['ping@19000']);
    await clock.advance(1);
    expect(events).toEqual(['ping@19000', 'ping@34000']);
  });

  it('checkNow pings at once (page visible again, network change)', async () => {
    const { clock, events, heartbeat } = setup(1_000);
    heartbeat.start(120_000);
    await clock.advance(5_000);
    heartbeat.checkNow();
    heartbeat.checkNow();
    expect(events).toEqual(['ping@5000']);
    await clock.advance(1_000);
    expect(events).toEqual(['ping@5000', 'dead@6000']);
  });

  it('does nothing once stopped', async () => {
    const { clock, events, heartbeat } = setup();
    heartbeat.start(1_000);
    heartbeat.stop();
    heartbeat.checkNow();
    await clock.advance(100_000);
    expect(events).toEqual([]);
  });
});

describe('activity timeout', () => {
  it('is the smallest of ours, the server’s and the learnt one', () => {
    expect(effectiveActivityTimeout({ activityTimeout: 120_000 }, 120, null)).toBe(120_000);
    expect(effectiveActivityTimeout({ activityTimeout: 120_000 }, 30, null)).toBe(30_000);
    expect(effectiveActivityTimeout({ activityTimeout: 20_000 }, 30, null)).toBe(20_000);
    expect(effectiveActivityTimeout({ activityTimeout: 120_000 }, 30, 15_000)).toBe(15_000);
  });

  it('after a 1006 is half the last lifespan, clamped to 10–120 s', () => {
    expect(activityTimeoutAfterDrop(30_000, connectionDefaults)).toBe(15_000);
    expect(activityTimeoutAfterDrop(100_000, connectionDefaults)).toBe(50_000);
    expect(activityTimeoutAfterDrop(5_000, connectionDefaults)).toBe(10_000);
    expect(activityTimeoutAfterDrop(0, connectionDefaults)).toBe(10_000);
    expect(activityTimeoutAfterDrop(3_600_000, connectionDefaults)).toBe(120_000);
  });
});
