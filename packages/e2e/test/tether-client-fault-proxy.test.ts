import { nodePlatform, type Tether, type TetherOptions } from '@tether/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { startFaultProxy, type FaultProxy } from '../src/fault-proxy.js';
import {
  connected,
  nextConnectionEvent,
  recordConnectionEvents,
  sharedStorage,
  TetherClients,
} from '../src/tether-clients.js';

/**
 * @tether/client through a fault-injecting TCP proxy in front of the real server: the strategy's
 * promises (fall back, disable a WebSocket that keeps dying, remember, do not blame WebSocket for an
 * unreachable server, learn a proxy's idle timeout) on real sockets.
 */

let server: CompatServer;
let proxy: FaultProxy;
const clients = new TetherClients();

/** Long enough that no background WebSocket probe runs unless a test asks for one. */
const NO_PROBE = { probeDelayMs: 10 * 60_000 } as const;
/** The proxy cuts every WebSocket this long after its upgrade: after the handshake, long before 2 × activity timeout. */
const WEBSOCKET_LIFETIME_MS = 300;
const WAIT_MS = 10_000;

beforeEach(async () => {
  server = await startCompatServer();
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: server.port } });
});

afterEach(async () => {
  clients.disconnectAll();
  await proxy.close();
  await server.close();
});

const viaProxy = (options: TetherOptions = {}): Tether => clients.create(proxy.port, options);

const websocketHealth = (tether: Tether) =>
  tether.connection.diagnostics().transports.find((t) => t.name === 'websocket');

const connectedOver = (tether: Tether, transport: string) =>
  nextConnectionEvent(tether, 'connected', (c) => c.transport === transport, WAIT_MS);

describe('@tether/client through the fault proxy', () => {
  it('WebSocket upgrades refused (403): connects over SSE at once, and a refused upgrade is no death', async () => {
    proxy.setMode('block-websocket');
    const tether = viaProxy(NO_PROBE);
    const { socketId } = await connectedOver(tether, 'sse');
    expect(server.connections.find((c) => c.socketId === socketId)?.transport).toBe('sse');
    expect(proxy.connections().upgrades.blocked).toBe(1);
    expect(websocketHealth(tether)).toMatchObject({
      attempts: 1,
      successes: 0,
      deaths: [],
      disabledUntil: null,
    });
    expect(tether.connection.diagnostics().why).toMatch(/websocket failed/);
  });

  it('WebSockets dropped without a close frame twice: WebSocket is disabled, SSE is used and remembered', async () => {
    proxy.setMode({ kind: 'drop-websocket-after', afterMs: WEBSOCKET_LIFETIME_MS });
    const storage = sharedStorage();
    const tether = viaProxy({ ...NO_PROBE, platform: { ...nodePlatform(), storage } });
    const disabled = nextConnectionEvent(
      tether,
      'error',
      (e) => e.type === 'transport_error' && /websocket is disabled/.test(e.message),
      WAIT_MS,
    );
    await connectedOver(tether, 'sse');
    await disabled;
    const health = websocketHealth(tether);
    expect(health?.deaths.length).toBeGreaterThanOrEqual(2);
    expect(health?.deaths[0]).toMatchObject({ code: 1006 });
    expect(health?.disabledUntil).not.toBeNull();
    expect(tether.connection.diagnostics().memory).toMatchObject({ transport: 'sse' });
    expect(storage.keys()).toEqual(['tether:transport:plain']);

    // Stays on the fallback: a network blip later, it reconnects over SSE without trying WebSocket.
    const upgrades = proxy.connections().upgrades.seen;
    const again = connectedOver(tether, 'sse');
    proxy.dropAll();
    await again;
    expect(proxy.connections().upgrades.seen).toBe(upgrades);

    // A new client with the same storage (a page reload) starts on SSE: no upgrade before it connects.
    tether.disconnect();
    const reloaded = viaProxy({ ...NO_PROBE, platform: { ...nodePlatform(), storage } });
    await connectedOver(reloaded, 'sse');
    expect(proxy.connections().upgrades.seen).toBe(upgrades);
    expect(reloaded.connection.diagnostics().why).toMatch(/sse worked last time/);
  });

  it('a background probe that passes while WebSockets still die later: moves back once, then is disabled again at once', async () => {
    proxy.setMode({ kind: 'drop-websocket-after', afterMs: WEBSOCKET_LIFETIME_MS });
    const tether = viaProxy({ probeDelayMs: 100 });
    const changes = recordConnectionEvents(tether, 'transport_change');
    await connectedOver(tether, 'sse');
    const movedBack = nextConnectionEvent(
      tether,
      'transport_change',
      (c) => c.current === 'websocket' && c.previous === 'sse',
      WAIT_MS,
    );
    await movedBack;
    await connectedOver(tether, 'sse');
    expect(changes.map((c) => c.current).slice(-3)).toEqual(['sse', 'websocket', 'sse']);
    expect(websocketHealth(tether)?.disabledUntil).not.toBeNull();
    expect(
      tether.connection.diagnostics().transports.find((t) => t.name === 'websocket')?.deaths.length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('WebSockets dropped while the server is unreachable over HTTP too are not the WebSocket’s fault', async () => {
    const tether = viaProxy(NO_PROBE);
    for (let round = 0; round < 2; round++) {
      await connectedOver(tether, 'websocket');
      // An attempt fails while everything is refused (a second wait): the first close has been judged by then.
      const retrying = nextConnectionEvent(tether, 'connecting_in', () => true, WAIT_MS);
      proxy.setMode('refuse-all');
      await retrying;
      await nextConnectionEvent(tether, 'connecting_in', () => true, WAIT_MS);
      proxy.setMode('pass');
    }
    await connectedOver(tether, 'websocket');
    expect(websocketHealth(tether)).toMatchObject({ deaths: [], disabledUntil: null });
  });

  it('a proxy that cuts idle connections: after the first 1006 the heartbeat halves and the connection then stays up', async () => {
    const idleMs = 1_000;
    proxy.setMode({ kind: 'drop-idle', idleMs });
    const tether = viaProxy({ ...NO_PROBE, enabledTransports: ['websocket'], minActivityTimeoutMs: 200 });
    const first = await connected(tether);
    const second = await nextConnectionEvent(tether, 'connected', (c) => c.socketId !== first, WAIT_MS);
    expect(tether.connection.diagnostics().lastClose).toMatchObject({ code: 1006, transport: 'websocket' });
    expect(second.activityTimeoutMs).toBeGreaterThanOrEqual(200);
    expect(second.activityTimeoutMs).toBeLessThan(idleMs);
    const closes = recordConnectionEvents(tether, 'error');
    await new Promise((resolve) => setTimeout(resolve, 3 * idleMs));
    expect(closes.filter((e) => e.type === 'close')).toEqual([]);
    expect(tether.connection.socketId).toBe(second.socketId);
    expect(tether.connection.state).toBe('connected');
  });
});
