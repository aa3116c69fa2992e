import { afterEach, describe, expect, it, vi } from 'vitest';
import type Pusher from 'pusher-js';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { startFaultProxy, type FaultProxy } from '../src/fault-proxy.js';
import { nextEvent, PusherJsClients, recordStates, waitForState } from '../src/pusher-js-clients.js';

/**
 * Spec checklist item 6 with stock pusher-js over ws: what the client does after each kind of close,
 * timed from the moment pusher-js reports the close to the next upgrade request reaching the server.
 * pusher-js maps 4000–4099 to "refused" (stay disconnected), 4100–4199 to "backoff" (retry in 1 s),
 * 4200–4299 to "retry" (at once), and an unclean close (1006) to a retry in 1 s.
 */

let server: CompatServer | undefined;
let proxy: FaultProxy | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  vi.useRealTimers();
  clients.disconnectAll();
  await proxy?.close();
  await server?.close();
  server = proxy = undefined;
});

/** pusher-js's delay after 4100–4199 and after an unclean close. */
const BACKOFF_MS = 1000;
/** Timers on a loaded 2-core machine fire late, never early: this much late is tolerated. */
const LATE_MS = 1000;
const EARLY_MS = 100;
/** "Reconnect at once": well under the 1 s backoff, so the two behaviours cannot be confused. */
const IMMEDIATE_MS = 500;
/** The spec's window in which a refused client must not try again. */
const REFUSED_WINDOW_MS = 5000;

interface Seen {
  code: number;
  at: number;
}

/** Every close code pusher-js reports on its connection's `error` event (handshake and open connection shapes). */
function recordCloseCodes(pusher: Pusher): Seen[] {
  const seen: Seen[] = [];
  pusher.connection.bind(
    'error',
    (error: { data?: { code?: number }; error?: { data?: { code?: number } } }) => {
      const code = error.data?.code ?? error.error?.data?.code;
      if (code !== undefined) seen.push({ code, at: Date.now() });
    },
  );
  return seen;
}

/** Timestamps of every WebSocket upgrade request the server receives, and a way to await the next. */
function recordUpgrades(s: CompatServer): { times: number[]; next: (timeoutMs?: number) => Promise<number> } {
  const times: number[] = [];
  const waiters = new Set<(at: number) => void>();
  s.http.prependListener('upgrade', () => {
    const at = Date.now();
    times.push(at);
    for (const waiter of [...waiters]) waiter(at);
  });
  return {
    times,
    next: (timeoutMs = BACKOFF_MS + LATE_MS * 3) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no upgrade within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (at: number): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(at);
        };
        waiters.add(waiter);
      }),
  };
}

describe('stock pusher-js over ws: item 6, what each close makes the client do', () => {
  it('4001 (unknown key): disconnected, and no new attempt in the next 5 s', async () => {
    // Timers are faked (and still advance with real time) so the 5 s window is skipped, not waited:
    // any retry pusher-js had scheduled would fire inside advanceTimersByTimeAsync.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
      shouldAdvanceTime: true,
    });
    const s = (server = await startCompatServer());
    const upgrades = recordUpgrades(s);
    const pusher = clients.create({ port: s.port, key: 'no-such-key' });
    const codes = recordCloseCodes(pusher);
    const states = recordStates(pusher);
    await waitForState(pusher, 'disconnected');
    expect(codes[0]?.code).toBe(4001);
    expect(upgrades.times).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(REFUSED_WINDOW_MS);
    // A round trip to the server, so an upgrade started by a late retry would have been counted.
    await s.sdk.get({ path: '/channels' });
    expect(upgrades.times).toHaveLength(1);
    // pusher-js was already `connecting` when the recording started: its only change since is the end.
    expect(states.map((c) => c.state)).toEqual(['disconnected']);
    expect(pusher.connection.state).toBe('disconnected');
  });

  it('4100 (a draining node refuses new connections): pusher-js waits ~1 s before each new attempt', async () => {
    const s = (server = await startCompatServer());
    void s.tether.drain();
    const upgrades = recordUpgrades(s);
    const pusher = clients.create({ port: s.port });
    const codes = recordCloseCodes(pusher);
    const countdown = nextEvent<number>(pusher.connection, 'connecting_in');
    await upgrades.next();
    expect((await countdown).data).toBe(BACKOFF_MS / 1000);
    const retriedAt = await upgrades.next();
    const refusedAt = codes.find((c) => c.code === 4100)!.at;
    const waited = retriedAt - refusedAt;
    expect(waited).toBeGreaterThanOrEqual(BACKOFF_MS - EARLY_MS);
    expect(waited).toBeLessThan(BACKOFF_MS + LATE_MS);
    expect(codes.map((c) => c.code)).not.toContain(4200);
    expect(pusher.connection.state).toBe('connecting');
  });

  it('4200 (drain): pusher-js reconnects at once, without the 1 s backoff', async () => {
    const s = (server = await startCompatServer());
    const pusher = clients.create({ port: s.port });
    const news = pusher.subscribe('news');
    await nextEvent(news, 'pusher:subscription_succeeded');
    const upgrades = recordUpgrades(s);
    const codes = recordCloseCodes(pusher);
    const resubscribed = nextEvent(news, 'pusher:subscription_succeeded');
    const retried = upgrades.next();
    // A rolling restart: the new node takes the next upgrade, the old one sends 4200 to its clients.
    const replaced = s.replaceNode();
    const retriedAt = await retried;
    await resubscribed;
    await replaced;
    const drainedAt = codes.find((c) => c.code === 4200)!.at;
    expect(retriedAt - drainedAt).toBeLessThan(IMMEDIATE_MS);
    expect(retriedAt).toBeGreaterThanOrEqual(drainedAt);
    expect(upgrades.times).toHaveLength(1);
  });

  it('TCP drop: error with code 1006, then a new connection after ~1 s', async () => {
    const s = (server = await startCompatServer());
    const p = (proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: s.port } }));
    const pusher = clients.create({ port: s.port, options: { wsPort: p.port } });
    const news = pusher.subscribe('news');
    await nextEvent(news, 'pusher:subscription_succeeded');
    const firstId = pusher.connection.socket_id;
    const upgrades = recordUpgrades(s);
    const error = nextEvent<{ type: string; data?: { code?: number } }>(pusher.connection, 'error');
    const resubscribed = nextEvent(news, 'pusher:subscription_succeeded', BACKOFF_MS + LATE_MS * 3);
    const droppedAt = Date.now();
    p.dropAll();
    expect((await error).data).toMatchObject({ type: 'PusherError', data: { code: 1006 } });
    const retriedAt = await upgrades.next();
    await resubscribed;
    const waited = retriedAt - droppedAt;
    expect(waited).toBeGreaterThanOrEqual(BACKOFF_MS - EARLY_MS);
    expect(waited).toBeLessThan(BACKOFF_MS + LATE_MS);
    expect(pusher.connection.socket_id).not.toBe(firstId);
  });
});
