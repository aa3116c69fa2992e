import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../src/fault-proxy.js';
import { nextEvent, PusherJsClients, waitForState } from '../src/pusher-js-clients.js';

// Issue 4 / spec §11 item 39: a proxy that breaks WebSockets, and a stock pusher-js with its DEFAULT
// transports (only hosts and ports set, as the README tells users) still ends up connected over
// Tether's HTTP fallback and fully working.

let server: CompatServer | undefined;
let proxy: FaultProxy | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await proxy?.close();
  proxy = undefined;
  await server?.close();
  server = undefined;
});

/** pusher-js 8 waits 5 s (non-TLS) before starting its HTTP transports next to a WebSocket that has not connected. */
const FALLBACK_WITHIN_MS = 12_000;

const BROKEN: [string, FaultMode][] = [
  ['answers the upgrade 403', { kind: 'block-websocket', response: 'forbidden' }],
  ['resets the upgrade', { kind: 'block-websocket', response: 'reset' }],
];

describe.each(BROKEN)('stock pusher-js, default transports, behind a proxy that %s', (_name, mode) => {
  it('connects over xhr_streaming, subscribes, receives SDK triggers and relays client events', async () => {
    const s = (server = await startCompatServer());
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: s.port }, mode });
    const setup = {
      port: proxy.port,
      transport: 'default',
      authEndpoint: `${proxy.url}/pusher/auth`,
    } as const;
    const started = Date.now();
    const a = clients.create(setup);
    const b = clients.create(setup);
    await Promise.all([
      waitForState(a, 'connected', FALLBACK_WITHIN_MS),
      waitForState(b, 'connected', FALLBACK_WITHIN_MS),
    ]);
    const elapsed = Date.now() - started;
    const transports = [a, b].map(
      (client) => s.connections.find((c) => c.socketId === client.connection.socket_id)?.transport,
    );
    expect(transports).toEqual(['xhr_streaming', 'xhr_streaming']);
    expect(proxy.connections().upgrades.blocked).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(FALLBACK_WITHIN_MS);

    const aChat = a.subscribe('private-chat');
    const bChat = b.subscribe('private-chat');
    await Promise.all([
      nextEvent(aChat, 'pusher:subscription_succeeded'),
      nextEvent(bChat, 'pusher:subscription_succeeded'),
    ]);
    const fromApi = nextEvent(aChat, 'note');
    await s.sdk.trigger('private-chat', 'note', { via: 'api' });
    expect((await fromApi).data).toEqual({ via: 'api' });
    const fromPeer = nextEvent(bChat, 'client-hello');
    aChat.trigger('client-hello', { via: 'peer' });
    expect((await fromPeer).data).toEqual({ via: 'peer' });
  }, 30_000);
});
