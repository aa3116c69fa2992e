import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../platform/memory-storage.js';
import {
  established,
  fakeConnectionPlatform,
  type FakePlatformOptions,
  type FakeWebSocket,
} from '../../test/support/connection-fakes.js';
import type { ConnectionOptions } from '../options.js';
import type { ConnectionEventName, ConnectionEvents } from './connection.js';
import { ConnectionManager } from './connection-manager.js';

const EVENT_NAMES = [
  'state_change',
  'connecting',
  'connected',
  'unavailable',
  'failed',
  'disconnected',
  'connecting_in',
  'message',
  'error',
  'transport_change',
] as const satisfies readonly ConnectionEventName[];

const pusherError = (code: number, message: string): string =>
  JSON.stringify({ event: 'pusher:error', data: { code, message } });
const PONG = JSON.stringify({ event: 'pusher:pong', data: {} });
/** Backoff of the first failure with random() = 0.5: 1000 + 0.5 × (2000 − 1000). */
const FIRST_BACKOFF_MS = 1_500;
const MINUTE = 60_000;

function setup(extra: Partial<ConnectionOptions> = {}, platform: FakePlatformOptions = {}) {
  const env = fakeConnectionPlatform(platform);
  const reach = { value: true, calls: 0 };
  const manager = new ConnectionManager({ key: 'k', host: 'h.test', ...extra }, env.platform, {
    reachable: () => {
      reach.calls += 1;
      return Promise.resolve(reach.value);
    },
  });
  const events: { name: ConnectionEventName; context: unknown }[] = [];
  for (const name of EVENT_NAMES) manager.bind(name, (context) => events.push({ name, context }));
  const of = <K extends ConnectionEventName>(name: K): ConnectionEvents[K][] =>
    events.filter((e) => e.name === name).map((e) => e.context as ConnectionEvents[K]);
  const states = () => of('state_change').map((c) => c.current);
  const socket = (index: number): FakeWebSocket => {
    const ws = env.sockets[index];
    if (!ws) throw new Error(`no socket #${index} (have ${env.sockets.length})`);
    return ws;
  };
  const lastSocket = (): FakeWebSocket => socket(env.sockets.length - 1);
  /** Connects over WebSocket and returns its socket. */
  const connectWebSocket = (socketId = '1.1', activityTimeout = 120): FakeWebSocket => {
    manager.connect();
    const ws = lastSocket();
    ws.establish(socketId, activityTimeout);
    return ws;
  };
  return { env, reach, manager, events, of, states, socket, lastSocket, connectWebSocket };
}

type Setup = ReturnType<typeof setup>;

/** Opens the latest socket, then drops it without a close frame after `lifespanMs`. */
async function dropAfter(s: Setup, lifespanMs: number): Promise<void> {
  const ws = s.lastSocket();
  await s.env.clock.advance(lifespanMs);
  ws.drop(1006);
  await s.env.clock.advance(0);
}

describe('ConnectionManager: states', () => {
  it('is connected only once connection_established arrives, not when the socket opens', () => {
    const s = setup();
    expect(s.manager.state).toBe('initialized');
    s.manager.connect();
    expect(s.states()).toEqual(['connecting']);
    s.socket(0).accept();
    expect(s.manager.state).toBe('connecting');
    s.socket(0).deliver(established('7.7', 30));
    expect(s.manager.state).toBe('connected');
    expect(s.of('connected')).toEqual([
      { socketId: '7.7', transport: 'websocket', activityTimeoutMs: 30_000 },
    ]);
    expect(s.of('transport_change')).toMatchObject([{ previous: null, current: 'websocket' }]);
    expect(s.manager.socketId).toBe('7.7');
  });

  it('becomes unavailable after 10 s of connecting and keeps trying', async () => {
    const s = setup({ enabledTransports: ['websocket'] });
    s.manager.connect();
    await s.env.clock.advance(9_999);
    expect(s.manager.state).toBe('connecting');
    await s.env.clock.advance(1);
    expect(s.manager.state).toBe('unavailable');
    expect(s.of('unavailable')).toEqual([{ since: 0 }]);
    expect(s.env.sockets.length).toBeGreaterThan(0);
    s.lastSocket().establish();
    expect(s.manager.state).toBe('connected');
  });

  it('fails at once when no enabled transport exists on the platform', () => {
    const s = setup({ enabledTransports: ['websocket'] }, { webSocket: false });
    s.manager.connect();
    expect(s.manager.state).toBe('failed');
    expect(s.of('failed')[0]?.reason).toMatch(/No enabled transport is supported/);
  });

  it('disconnect() closes the socket, stops every retry and stops listening to the network', async () => {
    const s = setup();
    const ws = s.connectWebSocket();
    expect(s.env.network.listenerCount).toBe(3);
    s.manager.disconnect();
    expect(s.manager.state).toBe('disconnected');
    expect(ws.closedByClient).not.toBeNull();
    expect(s.of('disconnected')).toEqual([{ close: null }]);
    expect(s.env.network.listenerCount).toBe(0);
    await s.env.clock.advance(10 * MINUTE);
    expect(s.env.sockets).toHaveLength(1);
    expect(s.manager.send({ event: 'pusher:ping', data: {} })).toBe(false);
  });
});

describe('ConnectionManager: close codes', () => {
  it('4001 during the handshake: reports the server reason, stops in disconnected and never retries', async () => {
    const s = setup();
    s.manager.connect();
    const ws = s.socket(0);
    ws.accept();
    ws.deliver(pusherError(4001, 'App key k does not exist'));
    ws.drop(4001, '', true);
    expect(s.manager.state).toBe('disconnected');
    const close = s.of('disconnected')[0]?.close;
    expect(close).toMatchObject({
      code: 4001,
      action: 'refused',
      transport: 'websocket',
      reason: 'App key k does not exist',
    });
    expect(close?.explanation).toMatch(/will not reconnect/);
    expect(s.of('error').some((e) => e.type === 'close' && e.close.code === 4001)).toBe(true);
    await s.env.clock.advance(30 * MINUTE);
    expect(s.env.sockets).toHaveLength(1);
    expect(s.env.sources).toHaveLength(0);
  });

  it('4100: waits a jittered backoff before the next attempt, announced by connecting_in', async () => {
    const s = setup();
    s.connectWebSocket().drop(4100, 'Over capacity', true);
    expect(s.manager.state).toBe('connecting');
    expect(s.of('connecting_in')).toEqual([{ delayMs: FIRST_BACKOFF_MS, seconds: 2 }]);
    await s.env.clock.advance(FIRST_BACKOFF_MS - 1);
    expect(s.env.sockets).toHaveLength(1);
    await s.env.clock.advance(1);
    expect(s.env.sockets).toHaveLength(2);
  });

  it('4200 (server drain): reconnects at once', async () => {
    const s = setup();
    s.connectWebSocket().drop(4200, 'Server restarting', true);
    await s.env.clock.advance(0);
    expect(s.env.sockets).toHaveLength(2);
    s.socket(1).establish('2.2');
    expect(s.manager.state).toBe('connected');
    expect(s.states()).toEqual(['connecting', 'connected', 'connecting', 'connected']);
  });

  it('4200 answered to every handshake: a bounded number of attempts, never a tight loop', async () => {
    const s = setup();
    s.manager.connect();
    const answered = new Set<FakeWebSocket>();
    const startTimes: number[] = [];
    for (let elapsed = 0; elapsed <= MINUTE; elapsed += 50) {
      for (const ws of s.env.sockets) {
        if (answered.has(ws)) continue;
        answered.add(ws);
        startTimes.push(s.env.clock.now());
        ws.accept();
        ws.deliver(pusherError(4200, 'Reconnect'));
        ws.drop(4200, '', true);
      }
      await s.env.clock.advance(50);
    }
    expect(startTimes.length).toBeGreaterThan(3);
    expect(startTimes.length).toBeLessThanOrEqual(15);
    const gaps = startTimes.slice(2).map((t, i) => t - (startTimes[i + 1] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
  });

  it('1006 while connected: the likely causes are reported and the client reconnects after a pause', async () => {
    const s = setup();
    s.reach.value = false;
    s.connectWebSocket();
    await dropAfter(s, 100_000);
    const close = s.of('error').find((e) => e.type === 'close');
    expect(close).toMatchObject({
      type: 'close',
      close: { code: 1006, wasClean: false, action: 'none', transport: 'websocket' },
    });
    expect(close?.type === 'close' && close.close.likelyCauses.length).toBeGreaterThan(0);
    expect(s.of('connecting_in')).toHaveLength(1);
    await s.env.clock.advance(FIRST_BACKOFF_MS);
    expect(s.env.sockets).toHaveLength(2);
  });

  it('a pusher:error before a 1006 is reported with the server code, reason and action', async () => {
    const s = setup();
    const ws = s.connectWebSocket();
    ws.deliver(pusherError(4100, 'Over capacity, try later'));
    ws.drop(1006);
    await s.env.clock.advance(0);
    expect(s.manager.diagnostics().lastClose).toMatchObject({
      code: 4100,
      reason: 'Over capacity, try later',
      action: 'backoff',
    });
  });

  it('4000 (SSL only): reconnects at once over TLS', async () => {
    const s = setup();
    s.connectWebSocket().drop(4000, 'SSL only', true);
    await s.env.clock.advance(0);
    expect(s.lastSocket().url.startsWith('wss://')).toBe(true);
  });
});

describe('ConnectionManager: heartbeat', () => {
  it('pings after the activity timeout (the smaller of ours and the server’s) and reconnects when no pong comes', async () => {
    const s = setup({ activityTimeout: 60_000 });
    const ws = s.connectWebSocket('1.1', 120);
    expect(s.of('connected')[0]?.activityTimeoutMs).toBe(60_000);
    await s.env.clock.advance(60_000);
    expect(ws.sentEvents()).toEqual(['pusher:ping']);
    await s.env.clock.advance(29_999);
    expect(s.manager.state).toBe('connected');
    await s.env.clock.advance(1);
    expect(ws.closedByClient).not.toBeNull();
    expect(s.manager.diagnostics().lastClose).toMatchObject({ code: 4201, action: 'retry' });
    await s.env.clock.advance(0);
    expect(s.env.sockets).toHaveLength(2);
  });

  it('a pong keeps the connection', async () => {
    const s = setup();
    const ws = s.connectWebSocket('1.1', 120);
    await s.env.clock.advance(120_000);
    ws.deliver(PONG);
    await s.env.clock.advance(60_000);
    expect(s.manager.state).toBe('connected');
    expect(s.env.sockets).toHaveLength(1);
  });

  it('after a 1006 the next activity timeout is half the last lifespan, clamped to 10–120 s', async () => {
    const s = setup();
    s.reach.value = false;
    s.connectWebSocket('1.1', 120);
    await dropAfter(s, 50_000);
    await s.env.clock.advance(FIRST_BACKOFF_MS);
    s.lastSocket().establish('2.2', 120);
    expect(s.of('connected')[1]?.activityTimeoutMs).toBe(25_000);
    expect(s.manager.diagnostics().activityTimeoutMs).toBe(25_000);
    await dropAfter(s, 4_000);
    await s.env.clock.advance(10_000);
    s.lastSocket().establish('3.3', 120);
    expect(s.of('connected')[2]?.activityTimeoutMs).toBe(10_000);
  });

  it('a page becoming visible checks liveness at once', () => {
    const s = setup();
    const ws = s.connectWebSocket();
    s.env.network.becomeVisible();
    expect(ws.sentEvents()).toEqual(['pusher:ping']);
  });
});

describe('ConnectionManager: network signals', () => {
  it('offline pauses retries, a drop while offline is not a death, and online retries at once', async () => {
    const s = setup();
    s.connectWebSocket();
    s.env.network.online = false;
    await dropAfter(s, 1_000);
    expect(s.manager.state).toBe('unavailable');
    expect(s.reach.calls).toBe(0);
    await s.env.clock.advance(10_000);
    expect(s.env.sockets).toHaveLength(1);
    s.env.network.goOnline();
    expect(s.env.sockets).toHaveLength(2);
    expect(s.manager.diagnostics().transports.find((t) => t.name === 'websocket')?.deaths).toEqual([]);
  });

  it('the offline signal moves a pending retry to the slow offline pace', async () => {
    const s = setup();
    s.connectWebSocket().drop(4100, '', true);
    s.env.network.goOffline();
    await s.env.clock.advance(29_999);
    expect(s.env.sockets).toHaveLength(1);
    await s.env.clock.advance(1);
    expect(s.env.sockets).toHaveLength(2);
  });
});

describe('ConnectionManager: the strategy', () => {
  /** Two WebSockets that open and drop within seconds while the server answers HTTP. */
  async function twoDeaths(s: Setup): Promise<void> {
    s.connectWebSocket('1.1');
    await dropAfter(s, 1_000);
    await s.env.clock.advance(FIRST_BACKOFF_MS);
    s.lastSocket().establish('2.2');
    await dropAfter(s, 1_000);
  }

  it('two short-lived WebSocket deaths disable WebSocket; the next connect runs on SSE and remembers it', async () => {
    const s = setup();
    await twoDeaths(s);
    const ws = s.manager.diagnostics().transports.find((t) => t.name === 'websocket');
    expect(ws?.deaths).toHaveLength(2);
    expect(ws?.disabledUntil).toBe(s.env.clock.now() + 30 * MINUTE);
    expect(ws?.disabledReason).toMatch(/2 deaths while online with the server reachable/);
    expect(
      s
        .of('error')
        .some((e) => e.type === 'transport_error' && /websocket is disabled until/.test(e.message)),
    ).toBe(true);

    const sockets = s.env.sockets.length;
    await s.env.clock.advance(s.of('connecting_in').at(-1)?.delayMs ?? 0);
    expect(s.env.sockets).toHaveLength(sockets);
    const source = s.env.sources.at(-1);
    source?.session();
    source?.emit('message', established('3.3'));
    expect(s.manager.transport).toBe('sse');
    expect(s.of('transport_change').at(-1)).toMatchObject({ previous: 'websocket', current: 'sse' });
    const diagnostics = s.manager.diagnostics();
    expect(diagnostics.memory).toMatchObject({ transport: 'sse' });
    expect(diagnostics.why).toMatch(/websocket is disabled for now/);
  });

  it('drops while the server is unreachable over HTTP do not disable WebSocket', async () => {
    const s = setup();
    s.reach.value = false;
    await twoDeaths(s);
    expect(s.reach.calls).toBe(2);
    expect(s.manager.diagnostics().transports.find((t) => t.name === 'websocket')).toMatchObject({
      deaths: [],
      disabledUntil: null,
    });
    await s.env.clock.advance(s.of('connecting_in').at(-1)?.delayMs ?? 0);
    expect(s.env.sockets).toHaveLength(3);
  });

  it('the online signal lifts the ban', async () => {
    const s = setup();
    await twoDeaths(s);
    s.env.network.goOffline();
    s.env.network.goOnline();
    expect(s.manager.diagnostics().transports.find((t) => t.name === 'websocket')?.disabledUntil).toBeNull();
    expect(s.lastSocket()).not.toBe(s.socket(1));
  });

  it('on a fallback, probes WebSocket in the background and moves back once handshake and ping round trip complete', async () => {
    const s = setup();
    await twoDeaths(s);
    await s.env.clock.advance(s.of('connecting_in').at(-1)?.delayMs ?? 0);
    const source = s.env.sources.at(-1);
    source?.session();
    source?.emit('message', established('3.3'));
    const before = s.env.sockets.length;
    await s.env.clock.advance(3_000);
    expect(s.env.sockets).toHaveLength(before + 1);
    const probe = s.lastSocket();
    probe.establish('4.4');
    expect(s.manager.transport).toBe('sse');
    expect(probe.sentEvents()).toEqual(['pusher:ping']);
    expect(source?.closed).toBe(false);
    probe.deliver(PONG);
    expect(s.manager.transport).toBe('websocket');
    expect(s.manager.socketId).toBe('4.4');
    expect(source?.closed).toBe(true);
    expect(s.of('connected').at(-1)).toMatchObject({ socketId: '4.4', transport: 'websocket' });
    expect(s.of('transport_change').at(-1)?.reason).toMatch(
      /Moved back to websocket: a probe completed the handshake and a ping in \d+ ms/,
    );
    expect(s.manager.diagnostics().memory).toMatchObject({ transport: 'websocket' });
    expect(s.manager.diagnostics().transports.find((t) => t.name === 'websocket')?.disabledUntil).toBeNull();
  });

  it('a WebSocket that drops again after a probe moved back is disabled at once, and the next probe waits longer', async () => {
    const s = setup();
    await twoDeaths(s);
    await s.env.clock.advance(s.of('connecting_in').at(-1)?.delayMs ?? 0);
    s.env.sources.at(-1)?.session();
    s.env.sources.at(-1)?.emit('message', established('3.3'));
    await s.env.clock.advance(3_000);
    s.lastSocket().establish('4.4');
    s.lastSocket().deliver(PONG);
    expect(s.manager.transport).toBe('websocket');
    await dropAfter(s, 1_000);
    expect(
      s.manager.diagnostics().transports.find((t) => t.name === 'websocket')?.disabledUntil,
    ).not.toBeNull();
    const sockets = s.env.sockets.length;
    await s.env.clock.advance(s.of('connecting_in').at(-1)?.delayMs ?? 0);
    s.env.sources.at(-1)?.session();
    s.env.sources.at(-1)?.emit('message', established('5.5'));
    expect(s.manager.transport).toBe('sse');
    expect(s.env.sockets).toHaveLength(sockets);
    // The server stays chatty (any frame is activity), so only the probe schedule matters here.
    for (let elapsed = 0; elapsed < 55_000; elapsed += 5_000) {
      await s.env.clock.advance(5_000);
      s.env.sources.at(-1)?.emit('message', PONG);
    }
    await s.env.clock.advance(4_999);
    expect(s.env.sockets).toHaveLength(sockets);
    await s.env.clock.advance(1);
    expect(s.env.sockets).toHaveLength(sockets + 1);
    expect(s.manager.transport).toBe('sse');
  });

  it('a failed probe leaves the fallback alone and probes again later', async () => {
    const s = setup();
    s.env.storage.setItem(
      'tether:transport:plain',
      JSON.stringify({ transport: 'sse', at: 0, latency: 50, reason: 'x' }),
    );
    s.manager.connect();
    expect(s.env.sockets).toHaveLength(0);
    s.env.sources[0]?.session();
    s.env.sources[0]?.emit('message', established('1.1'));
    await s.env.clock.advance(3_000);
    s.socket(0).drop(1006);
    await s.env.clock.advance(0);
    expect(s.manager.transport).toBe('sse');
    expect(s.manager.diagnostics().why).toMatch(/websocket probe failed/);
    await s.env.clock.advance(59_999);
    expect(s.env.sockets).toHaveLength(1);
    await s.env.clock.advance(1);
    expect(s.env.sockets).toHaveLength(2);
  });

  it('a new client with the same storage starts on the remembered transport', async () => {
    const storage = new MemoryStorage();
    const first = setup({}, { storage });
    await twoDeaths(first);
    await first.env.clock.advance(first.of('connecting_in').at(-1)?.delayMs ?? 0);
    first.env.sources.at(-1)?.session();
    first.env.sources.at(-1)?.emit('message', established('3.3'));
    first.manager.disconnect();

    const second = setup({}, { storage });
    await second.env.clock.advance(first.env.clock.now() + MINUTE);
    second.manager.connect();
    expect(second.env.sources).toHaveLength(1);
    expect(second.env.sockets).toHaveLength(0);
    second.env.sources[0]?.session();
    second.env.sources[0]?.emit('message', established('9.9'));
    expect(second.manager.transport).toBe('sse');
    expect(second.manager.diagnostics().why).toMatch(/sse worked last time/);
  });

  it('diagnostics answer what happened: attempts, transports tried, deaths, the ban and the memory entry', () => {
    const s = setup({}, { secure: true });
    s.manager.connect();
    const initial = s.manager.diagnostics();
    expect(initial).toMatchObject({
      state: 'connecting',
      attempts: 1,
      socketId: null,
      transport: null,
      memory: null,
      lastClose: null,
    });
    expect(initial.transports.map((t) => t.name)).toEqual(['websocket', 'sse', 'long-poll']);
    s.socket(0).establish('1.1');
    const connected = s.manager.diagnostics();
    expect(connected).toMatchObject({
      state: 'connected',
      socketId: '1.1',
      transport: 'websocket',
      attempts: 0,
    });
    expect(connected.memory).toMatchObject({
      transport: 'websocket',
      reason: expect.stringMatching(/first choice/) as unknown,
    });
    expect(s.env.storage.getItem('tether:transport:tls')).not.toBeNull();
    expect(s.env.storage.getItem('tether:transport:plain')).toBeNull();
  });
});
