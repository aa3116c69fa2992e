import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { PusherJsClients, recordStates, waitForState } from '../src/pusher-js-clients.js';

// Spec §11 item 36 on a shorter clock: pusher-js over HTTP pings after its activity timeout and
// reconnects when nothing arrives on the receive side within pongTimeout. Tether's `h` (a stream
// heartbeat, or the answer to an idle poll) is what keeps an idle session alive.

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

const ACTIVITY_TIMEOUT_S = 1;
const PONG_TIMEOUT_MS = 500;
const HEARTBEAT_MS = 250;
/** Heartbeat round trips to watch: several activity timeouts' worth. */
const ROUNDS = 12;

/** The request kind pusher-js sends once per server heartbeat: `[]` to xhr_send when streaming, the next poll when polling. */
const PER_HEARTBEAT = { xhr_streaming: /\/xhr_send\?/, xhr_polling: /\/xhr\?/ } as const;

function countRequests(s: CompatServer, pattern: RegExp): (n: number) => Promise<void> {
  let seen = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  s.http.on('request', (req: { url?: string }) => {
    if (!pattern.test(req.url ?? '')) return;
    seen += 1;
    for (const waiter of waiters.filter((w) => seen >= w.n)) waiter.resolve();
  });
  return (n) => new Promise((resolve) => (seen >= n ? resolve() : waiters.push({ n: seen + n, resolve })));
}

const clientOptions = { activityTimeout: ACTIVITY_TIMEOUT_S * 1000, pongTimeout: PONG_TIMEOUT_MS };

describe.each(['xhr_streaming', 'xhr_polling'] as const)(
  'stock pusher-js over %s: idle sessions',
  (transport) => {
    it(`stays on one session through ${ROUNDS} heartbeats, well past activity timeout + pong timeout`, async () => {
      const s = (server = await startCompatServer({
        activityTimeoutSeconds: ACTIVITY_TIMEOUT_S,
        httpFallbacks: { sockjsHeartbeatMs: HEARTBEAT_MS, sockjsPollHoldMs: HEARTBEAT_MS },
      }));
      const heartbeats = countRequests(s, PER_HEARTBEAT[transport]);
      const pusher = clients.create({ port: s.port, transport, options: clientOptions });
      await waitForState(pusher, 'connected');
      const socketId = pusher.connection.socket_id;
      const states = recordStates(pusher);
      const started = Date.now();
      await heartbeats(ROUNDS);
      expect(Date.now() - started).toBeGreaterThan(ACTIVITY_TIMEOUT_S * 1000 + PONG_TIMEOUT_MS);
      expect(states).toEqual([]);
      expect(pusher.connection.socket_id).toBe(socketId);
    });

    it('control: without heartbeats within the pong timeout the same client reconnects', async () => {
      const s = (server = await startCompatServer({
        activityTimeoutSeconds: ACTIVITY_TIMEOUT_S,
        httpFallbacks: { sockjsHeartbeatMs: 60_000, sockjsPollHoldMs: 60_000 },
      }));
      const pusher = clients.create({ port: s.port, transport, options: clientOptions });
      await waitForState(pusher, 'connected');
      const started = Date.now();
      await waitForState(pusher, 'connecting', 5000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(ACTIVITY_TIMEOUT_S * 1000);
    });
  },
);
