import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { startFaultProxy, type FaultProxy } from '../src/fault-proxy.js';
import { startFrameProxy, type FrameProxy } from '../src/frame-proxy.js';
import { nextEvent, nextMessage, PusherJsClients } from '../src/pusher-js-clients.js';

/**
 * Spec checklist items 5 and 7 with stock pusher-js over ws: the client's own liveness check
 * (ping after the activity timeout, reconnect when no pong comes back within pongTimeout) and the
 * activity timeout it derives from how long its last connection lived.
 */

let server: CompatServer | undefined;
let frameProxy: FrameProxy | undefined;
let faultProxy: FaultProxy | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  vi.useRealTimers();
  clients.disconnectAll();
  await frameProxy?.close();
  await faultProxy?.close();
  await server?.close();
  server = frameProxy = faultProxy = undefined;
});

/** The server's `activity_timeout` in item 5. */
const ACTIVITY_TIMEOUT_S = 2;
const ACTIVITY_TIMEOUT_MS = ACTIVITY_TIMEOUT_S * 1000;
/** Small, so a withheld pong is noticed quickly; pusher-js's default is 30 s. */
const PONG_TIMEOUT_MS = 500;
/** Slack for timers on a loaded 2-core machine: late is tolerated, early is not. */
const LATE_MS = 1500;
const EARLY_MS = 100;

const isPing = (f: { direction: string; event: string | undefined }): boolean =>
  f.direction === 'to-server' && f.event === 'pusher:ping';
const isPong = (f: { direction: string; event: string | undefined }): boolean =>
  f.direction === 'to-client' && f.event === 'pusher:pong';

describe('stock pusher-js over ws: item 5, pings after the activity timeout', () => {
  it('with activity_timeout 2 the client pings ~2 s after the last server message and the pong keeps it connected', async () => {
    const s = (server = await startCompatServer({ activityTimeoutSeconds: ACTIVITY_TIMEOUT_S }));
    const proxy = (frameProxy = await startFrameProxy({ host: '127.0.0.1', port: s.port }));
    const pusher = clients.create({
      port: s.port,
      options: { wsPort: proxy.port, pongTimeout: PONG_TIMEOUT_MS },
    });
    const news = pusher.subscribe('news');
    await nextEvent(news, 'pusher:subscription_succeeded');
    expect(pusher.connection.activityTimeout).toBe(ACTIVITY_TIMEOUT_MS);
    const socketId = pusher.connection.socket_id;

    const ping = await proxy.nextFrame(isPing, ACTIVITY_TIMEOUT_MS + LATE_MS * 2);
    const lastBefore = proxy.frames.filter((f) => f.direction === 'to-client' && f.at <= ping.at).at(-1)!;
    const pong = await nextMessage(pusher, (m) => m.event === 'pusher:pong');
    const idle = ping.at - lastBefore.at;
    expect(idle).toBeGreaterThanOrEqual(ACTIVITY_TIMEOUT_MS - EARLY_MS);
    expect(idle).toBeLessThan(ACTIVITY_TIMEOUT_MS + LATE_MS);
    expect(pong.event).toBe('pusher:pong');

    // The pong counts as activity: the next ping again waits a full activity timeout, on the same socket.
    const pongFrame = proxy.frames.find((f) => isPong(f) && f.at >= ping.at)!;
    const second = await proxy.nextFrame(isPing, ACTIVITY_TIMEOUT_MS + LATE_MS * 2);
    expect(second.at - pongFrame.at).toBeGreaterThanOrEqual(ACTIVITY_TIMEOUT_MS - EARLY_MS);
    expect(proxy.upgrades).toHaveLength(1);
    expect(pusher.connection.socket_id).toBe(socketId);
    expect(pusher.connection.state).toBe('connected');
  });

  it('when the pong is withheld pusher-js gives up after pongTimeout, reconnects at once and resubscribes', async () => {
    const s = (server = await startCompatServer({ activityTimeoutSeconds: ACTIVITY_TIMEOUT_S }));
    const proxy = (frameProxy = await startFrameProxy({ host: '127.0.0.1', port: s.port }));
    proxy.setFilter(isPong);
    const pusher = clients.create({
      port: s.port,
      options: { wsPort: proxy.port, pongTimeout: PONG_TIMEOUT_MS },
    });
    const news = pusher.subscribe('news');
    await nextEvent(news, 'pusher:subscription_succeeded');
    const firstId = pusher.connection.socket_id;

    const ping = await proxy.nextFrame(isPing, ACTIVITY_TIMEOUT_MS + LATE_MS * 2);
    const resubscribed = nextEvent(news, 'pusher:subscription_succeeded', ACTIVITY_TIMEOUT_MS + LATE_MS * 2);
    const reconnectAt = await proxy.nextUpgrade(PONG_TIMEOUT_MS + LATE_MS * 2);
    await resubscribed;
    const waited = reconnectAt - ping.at;
    // The server did answer; the proxy swallowed it.
    expect(proxy.frames.filter((f) => isPong(f) && f.at >= ping.at).map((f) => f.dropped)).toEqual([true]);
    expect(waited).toBeGreaterThanOrEqual(PONG_TIMEOUT_MS - EARLY_MS);
    expect(waited).toBeLessThan(PONG_TIMEOUT_MS + LATE_MS);
    expect(pusher.connection.socket_id).not.toBe(firstId);
    expect(proxy.upgrades).toHaveLength(2);
    const got = nextEvent(news, 'headline');
    await s.sdk.trigger('news', 'headline', { n: 1 });
    expect((await got).data).toEqual({ n: 1 });
  });
});

/**
 * pusher-js measures a connection's lifespan with `Date.now()`. Only `Date` is faked, so sockets and
 * timers run for real while the clock is moved forward to age the connection.
 */
describe('stock pusher-js over ws: item 7, activity timeout after an unclean close', () => {
  const dropAfter = async (lifespanMs: number): Promise<{ activityTimeout: number; before: number }> => {
    const s = (server = await startCompatServer());
    const proxy = (faultProxy = await startFaultProxy({ target: { host: '127.0.0.1', port: s.port } }));
    vi.useFakeTimers({ toFake: ['Date'] });
    const pusher = clients.create({ port: s.port, options: { wsPort: proxy.port } });
    const news = pusher.subscribe('news');
    await nextEvent(news, 'pusher:subscription_succeeded');
    const before = pusher.connection.activityTimeout;
    const firstId = pusher.connection.socket_id;
    vi.setSystemTime(Date.now() + lifespanMs);
    const error = nextEvent<{ data?: { code?: number } }>(pusher.connection, 'error');
    const resubscribed = nextEvent(news, 'pusher:subscription_succeeded');
    proxy.dropAll();
    expect((await error).data.data?.code).toBe(1006);
    await resubscribed;
    expect(pusher.connection.socket_id).not.toBe(firstId);
    return { activityTimeout: pusher.connection.activityTimeout, before };
  };

  it('a connection dropped at 30 s of lifespan makes the next one ping after 15 s', async () => {
    const { activityTimeout, before } = await dropAfter(30_000);
    expect(before).toBe(120_000);
    expect(activityTimeout).toBe(15_000);
  });

  it('control: the half-lifespan rule is floored at 10 s (pusher-js minPingDelay)', async () => {
    expect((await dropAfter(4_000)).activityTimeout).toBe(10_000);
  });

  it('control: a connection that lived 2 × 120 s or more leaves the next one at 120 s', async () => {
    expect((await dropAfter(240_000)).activityTimeout).toBe(120_000);
  });
});
