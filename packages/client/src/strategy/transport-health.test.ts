import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/connection-fakes.js';
import { connectionDefaults } from '../options.js';
import { deathReason, TransportHealth, TransportHealthBook } from './transport-health.js';

const ACTIVITY = connectionDefaults.activityTimeout;

describe('deathReason', () => {
  it('counts an unclean close within 2 × the activity timeout of opening', () => {
    expect(deathReason({ code: 1006, wasClean: false, lifespanMs: 1_000 }, ACTIVITY)).toMatch(
      /dropped \(1006\)/,
    );
    expect(deathReason({ code: 1006, wasClean: false, lifespanMs: 239_999 }, ACTIVITY)).not.toBeNull();
    expect(deathReason({ code: 1005, wasClean: true, lifespanMs: 1_000 }, ACTIVITY)).not.toBeNull();
    expect(deathReason({ code: 1011, wasClean: false, lifespanMs: 1_000 }, ACTIVITY)).not.toBeNull();
  });

  it('does not count long-lived connections or clean closes', () => {
    expect(deathReason({ code: 1006, wasClean: false, lifespanMs: 240_000 }, ACTIVITY)).toBeNull();
    expect(deathReason({ code: 1000, wasClean: true, lifespanMs: 1_000 }, ACTIVITY)).toBeNull();
    expect(deathReason({ code: 4200, wasClean: true, lifespanMs: 1_000 }, ACTIVITY)).toBeNull();
  });

  it('always counts 1002 and 1003 (the transport broke the protocol)', () => {
    expect(deathReason({ code: 1002, wasClean: true, lifespanMs: 10_000_000 }, ACTIVITY)).toMatch(
      /broke the protocol/,
    );
    expect(deathReason({ code: 1003, wasClean: true, lifespanMs: 10_000_000 }, ACTIVITY)).toMatch(
      /broke the protocol/,
    );
  });
});

describe('TransportHealth', () => {
  const death = (at: number) => ({ at, code: 1006, lifespanMs: 1_000, reason: 'dropped' });

  it('is disabled after two deaths, until the ban expires', () => {
    const clock = new FakeClock();
    const health = new TransportHealth('websocket', 2, 30 * 60_000, clock);
    expect(health.recordDeath(death(0))).toBe(false);
    expect(health.isUsable()).toBe(true);
    expect(health.recordDeath(death(0))).toBe(true);
    expect(health.isUsable()).toBe(false);
    expect(health.diagnostics()).toMatchObject({
      disabledUntil: 30 * 60_000,
      deaths: [{ code: 1006 }, { code: 1006 }],
    });
    expect(health.diagnostics().disabledReason).toMatch(/2 deaths/);
    return clock.advance(30 * 60_000 - 1).then(async () => {
      expect(health.isUsable()).toBe(false);
      await clock.advance(1);
      expect(health.isUsable()).toBe(true);
      expect(health.diagnostics()).toMatchObject({ disabledUntil: null, deaths: [] });
    });
  });

  it('reset lifts the ban and forgets deaths', () => {
    const health = new TransportHealth('websocket', 2, 1_000_000, new FakeClock());
    health.recordDeath(death(0));
    health.recordDeath(death(0));
    health.reset();
    expect(health.isUsable()).toBe(true);
    expect(health.diagnostics().deaths).toEqual([]);
  });

  it('liftBan keeps the deaths: one more death disables the transport again at once', () => {
    const health = new TransportHealth('websocket', 2, 1_000_000, new FakeClock());
    health.recordDeath(death(0));
    health.recordDeath(death(0));
    health.liftBan();
    expect(health.isUsable()).toBe(true);
    expect(health.diagnostics().deaths).toHaveLength(2);
    expect(health.recordDeath(death(0))).toBe(true);
    expect(health.isUsable()).toBe(false);
  });

  it('never disables a transport with infinite lives', () => {
    const health = new TransportHealth('long-poll', Number.POSITIVE_INFINITY, 1_000, new FakeClock());
    for (let i = 0; i < 50; i++) expect(health.recordDeath(death(0))).toBe(false);
    expect(health.isUsable()).toBe(true);
  });
});

describe('TransportHealthBook.judge', () => {
  function book(online: boolean, reachable: boolean) {
    const clock = new FakeClock();
    let probes = 0;
    const health = new TransportHealthBook({
      clock,
      network: { isOnline: () => online },
      reachable: () => {
        probes += 1;
        return Promise.resolve(reachable);
      },
      lives: connectionDefaults.lives,
      banDurationMs: connectionDefaults.banDurationMs,
      activityTimeoutMs: ACTIVITY,
    });
    return { health, probes: () => probes };
  }
  const drop = { code: 1006, wasClean: false, lifespanMs: 2_000 };

  it('counts a death only when online and the server is reachable; two deaths ban websocket', async () => {
    const { health, probes } = book(true, true);
    expect(await health.judge('websocket', drop)).toMatchObject({ counted: true, banned: false });
    expect(await health.judge('websocket', drop)).toMatchObject({ counted: true, banned: true });
    expect(health.of('websocket').isUsable()).toBe(false);
    expect(probes()).toBe(2);
  });

  it('does not count a death while the device is offline (and does not even probe)', async () => {
    const { health, probes } = book(false, true);
    const verdict = await health.judge('websocket', drop);
    expect(verdict).toMatchObject({ counted: false });
    expect(verdict.counted ? '' : verdict.reason).toMatch(/offline/);
    await health.judge('websocket', drop);
    expect(health.of('websocket').isUsable()).toBe(true);
    expect(probes()).toBe(0);
  });

  it('does not count a death when the server is unreachable over HTTP as well', async () => {
    const { health } = book(true, false);
    const verdict = await health.judge('websocket', drop);
    expect(verdict.counted ? '' : verdict.reason).toMatch(/unreachable/);
    await health.judge('websocket', drop);
    expect(health.of('websocket').diagnostics().deaths).toEqual([]);
    expect(health.of('websocket').isUsable()).toBe(true);
  });

  it('forgives earlier deaths after a connection that outlives the death window', async () => {
    const { health } = book(true, true);
    await health.judge('websocket', drop);
    await health.judge('websocket', { code: 1006, wasClean: false, lifespanMs: 2 * ACTIVITY });
    await health.judge('websocket', drop);
    expect(health.of('websocket').isUsable()).toBe(true);
  });

  it('resetAll (the network came back) lifts every ban', async () => {
    const { health } = book(true, true);
    await health.judge('websocket', drop);
    await health.judge('websocket', drop);
    await health.judge('sse', drop);
    await health.judge('sse', drop);
    health.resetAll();
    expect(health.of('websocket').isUsable()).toBe(true);
    expect(health.of('sse').isUsable()).toBe(true);
  });
});
