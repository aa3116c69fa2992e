import { describe, expect, it } from 'vitest';
import {
  established,
  fakeConnectionPlatform,
  type FakeEnvironment,
} from '../../test/support/connection-fakes.js';
import { resolveConnectionOptions, type ConnectionOptions } from '../options.js';
import { transportEndpoints } from '../transports/transport-endpoints.js';
import { isTransportSupported, transportFactory } from '../transports/transport-factory.js';
import type { AttemptFailure } from './transport-attempt.js';
import { TransportHealthBook } from './transport-health.js';
import { TransportMemory } from './transport-memory.js';
import { TransportStrategy, type RaceLost, type RaceWon } from './transport-strategy.js';

function setup(extra: Partial<ConnectionOptions> = {}, env: FakeEnvironment = fakeConnectionPlatform()) {
  const options = resolveConnectionOptions({ key: 'k', host: 'h.test', ...extra });
  const health = new TransportHealthBook({
    clock: env.clock,
    network: env.network,
    reachable: () => Promise.resolve(true),
    lives: options.lives,
    banDurationMs: options.banDurationMs,
    activityTimeoutMs: options.activityTimeout,
  });
  const memory = new TransportMemory(env.storage, env.clock, options.memoryTtlMs);
  let ids = 0;
  const strategy = new TransportStrategy({
    clock: env.clock,
    options,
    health,
    memory,
    isSupported: (name) => isTransportSupported(env.platform, name),
    nextAttemptId: () => ++ids,
  });
  const won: RaceWon[] = [];
  const lost: RaceLost[] = [];
  const failed: [AttemptFailure, boolean][] = [];
  const run = (tls = false) =>
    strategy.run(tls, transportFactory(env.platform, transportEndpoints(options, tls)), {
      won: (r) => won.push(r),
      lost: (r) => lost.push(r),
      attemptFailed: (f, final) => failed.push([f, final]),
    });
  const banWebSocket = () => {
    const ws = health.of('websocket');
    ws.recordDeath({ at: 0, code: 1006, lifespanMs: 1, reason: 'a' });
    ws.recordDeath({ at: 0, code: 1006, lifespanMs: 1, reason: 'b' });
  };
  return { env, options, strategy, health, memory, won, lost, failed, run, banWebSocket };
}

describe('TransportStrategy.plan', () => {
  it('starts WebSocket, then SSE after 2 s (TLS) or 5 s (plain), then long-poll a few seconds later', () => {
    const { strategy } = setup();
    expect(strategy.plan(true).schedule).toEqual([
      { transport: 'websocket', delayMs: 0 },
      { transport: 'sse', delayMs: 2_000 },
      { transport: 'long-poll', delayMs: 5_000 },
    ]);
    expect(strategy.plan(false).schedule.map((s) => s.delayMs)).toEqual([0, 5_000, 8_000]);
  });

  it('honours enabled/disabled transports and platform support', () => {
    expect(
      setup({ disabledTransports: ['sse'] })
        .strategy.plan(true)
        .schedule.map((s) => s.transport),
    ).toEqual(['websocket', 'long-poll']);
    expect(setup({ enabledTransports: ['long-poll'] }).strategy.plan(true).schedule).toEqual([
      { transport: 'long-poll', delayMs: 0 },
    ]);
    const noWs = setup({}, fakeConnectionPlatform({ webSocket: false }));
    expect(noWs.strategy.plan(true).schedule.map((s) => s.transport)).toEqual(['sse', 'long-poll']);
    expect(setup({ enabledTransports: [] }).strategy.isSupported()).toBe(false);
  });

  it('skips a banned WebSocket, but never leaves nothing to try (pusher-js #553)', () => {
    const s = setup();
    s.banWebSocket();
    const plan = s.strategy.plan(true);
    expect(plan.schedule.map((x) => x.transport)).toEqual(['sse', 'long-poll']);
    expect(plan.excluded.websocket).toMatch(/disabled/);
    const wsOnly = setup({ enabledTransports: ['websocket'] });
    wsOnly.banWebSocket();
    expect(wsOnly.strategy.plan(true).schedule).toEqual([{ transport: 'websocket', delayMs: 0 }]);
  });

  it('tries the remembered transport first, with a timeout derived from its latency', () => {
    const s = setup();
    s.memory.write(true, { transport: 'sse', latency: 300, reason: 'x' });
    expect(s.strategy.plan(true).schedule).toEqual([
      { transport: 'sse', delayMs: 0 },
      { transport: 'websocket', delayMs: 1_600 },
      { transport: 'long-poll', delayMs: 4_600 },
    ]);
    // Never slower than the normal schedule; and the plain entry is separate.
    s.memory.write(true, { transport: 'long-poll', latency: 5_000, reason: 'x' });
    expect(s.strategy.plan(true).schedule[1]).toEqual({ transport: 'websocket', delayMs: 2_000 });
    expect(s.strategy.plan(false).remembered).toBeNull();
  });
});

describe('the race', () => {
  it('connects only on connection_established, not when the socket opens', async () => {
    const s = setup();
    s.run();
    const ws = s.env.sockets[0]!;
    ws.accept();
    expect(s.won).toHaveLength(0);
    ws.deliver(established('5.6', 30));
    expect(s.won).toHaveLength(1);
    expect(s.won[0]!.connection).toMatchObject({ socketId: '5.6', serverActivityTimeout: 30 });
    expect(s.won[0]!.why).toMatch(/websocket is the first choice/);
    await s.env.clock.advance(60_000);
    expect(s.env.sources).toHaveLength(0);
  });

  it('starts SSE at the fallback delay and long-poll after it; the first handshake wins and the others are aborted', async () => {
    const s = setup();
    s.run(true);
    await s.env.clock.advance(1_999);
    expect(s.env.sources).toHaveLength(0);
    await s.env.clock.advance(1);
    expect(s.env.sources).toHaveLength(1);
    await s.env.clock.advance(2_999);
    expect(s.env.fetch.calls).toHaveLength(0);
    await s.env.clock.advance(1);
    const poll = s.env.fetch.take('/long-poll?');
    s.env.sources[0]!.session();
    s.env.sources[0]!.emit('message', established('9.9'));
    expect(s.won.map((w) => w.connection.transport.name)).toEqual(['sse']);
    expect(s.won[0]!.why).toMatch(/sse completed the handshake first.*websocket had not connected yet/);
    expect(s.env.sockets[0]!.closedByClient).not.toBeNull();
    expect(poll.signal?.aborted).toBe(true);
  });

  it('brings the schedule forward when everything running has failed', async () => {
    const s = setup();
    s.run(false);
    await s.env.clock.advance(100);
    s.env.sockets[0]!.drop(1006);
    await s.env.clock.advance(0);
    expect(s.env.sources).toHaveLength(1);
    expect(s.failed[0]![1]).toBe(false);
    s.env.sources[0]!.fail();
    await s.env.clock.advance(0);
    expect(s.env.fetch.calls).toHaveLength(1);
    expect(s.lost).toHaveLength(0);
  });

  it('ends the whole race on a server close code (4000–4999): the others would hear the same', async () => {
    const s = setup();
    s.run(true);
    await s.env.clock.advance(2_000);
    const ws = s.env.sockets[0]!;
    ws.accept();
    ws.deliver(
      JSON.stringify({
        event: 'pusher:error',
        data: { code: 4001, message: 'App key k not in this cluster' },
      }),
    );
    ws.drop(1006);
    expect(s.lost).toHaveLength(1);
    expect(s.lost[0]!.failure).toMatchObject({ code: 1006, serverError: { code: 4001 } });
    expect(s.failed[0]![1]).toBe(true);
    expect(s.env.sources[0]!.closed).toBe(true);
    await s.env.clock.advance(60_000);
    expect(s.env.fetch.calls).toHaveLength(0);
  });

  it('reports the race lost when the last transport fails', () => {
    const s = setup({ enabledTransports: ['websocket'] });
    s.run();
    s.env.sockets[0]!.drop(1006);
    expect(s.lost[0]!.failure).toMatchObject({ transport: 'websocket', code: 1006, openedAt: null });
  });

  it('abandons an attempt that never completes its handshake', async () => {
    const s = setup({ enabledTransports: ['websocket'] });
    s.run();
    s.env.sockets[0]!.accept();
    await s.env.clock.advance(15_000);
    expect(s.lost[0]!.failure).toMatchObject({ kind: 'timeout' });
    expect(s.env.sockets[0]!.closedByClient).not.toBeNull();
  });

  it('fails an attempt whose first frame is not the handshake', () => {
    const s = setup({ enabledTransports: ['websocket'] });
    s.run();
    s.env.sockets[0]!.accept();
    s.env.sockets[0]!.deliver('{"event":"hello","channel":"x"}');
    expect(s.lost[0]!.failure).toMatchObject({ kind: 'handshake_error' });
  });

  it('forgets the remembered transport when it fails', async () => {
    const s = setup();
    s.memory.write(false, { transport: 'sse', latency: 100, reason: 'x' });
    s.run(false);
    expect(s.env.sources).toHaveLength(1);
    expect(s.env.sockets).toHaveLength(0);
    s.env.sources[0]!.fail();
    expect(s.memory.read(false)).toBeNull();
    await s.env.clock.advance(0);
    expect(s.env.sockets).toHaveLength(1);
  });

  it('explains a remembered win', () => {
    const s = setup();
    s.memory.write(false, { transport: 'sse', latency: 100, reason: 'x' });
    s.run(false);
    s.env.sources[0]!.session();
    s.env.sources[0]!.emit('message', established());
    expect(s.won[0]!.why).toMatch(/sse worked last time .* tried first/);
  });

  it('stamps every attempt with a fresh id', async () => {
    const s = setup();
    s.run(true);
    await s.env.clock.advance(5_000);
    s.env.fetch.take('/long-poll?');
    expect(s.health.of('websocket').diagnostics().attempts).toBe(1);
    s.env.sockets[0]!.drop(1006);
    s.env.sources[0]!.fail();
    expect(s.failed.map(([f]) => f.attempt)).toEqual([1, 2]);
  });
});
