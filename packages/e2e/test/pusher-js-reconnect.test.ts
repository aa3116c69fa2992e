import { afterEach, describe, expect, it } from 'vitest';
import { nextServerEvent, startCompatServer, type CompatServer } from '../src/compat-server.js';
import {
  nextEvent,
  PUSHER_JS_TRANSPORTS,
  PusherJsClients,
  recordStates,
  SERVER_TRANSPORT_NAME,
  waitForState,
} from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

const SESSION_GC_MS = 1000;
const HTTP_TRANSPORTS = PUSHER_JS_TRANSPORTS.filter((t) => t !== 'ws');

describe.each(PUSHER_JS_TRANSPORTS)('stock pusher-js over %s: drain and reconnect', (transport) => {
  it('items 10, 21: a drained node sends 4200; pusher-js reconnects at once to the next node and re-authorises every channel', async () => {
    const s = (server = await startCompatServer({ httpFallbacks: { sessionGcMs: SESSION_GC_MS } }));
    const pusher = clients.create({ port: s.port, transport, params: { user_id: 'ada' } });
    const channels = ['news', 'private-orders', 'presence-room'].map((name) => pusher.subscribe(name));
    await Promise.all(channels.map((channel) => nextEvent(channel, 'pusher:subscription_succeeded')));
    const firstId = pusher.connection.socket_id;
    const states = recordStates(pusher);
    const error = nextEvent<{ data: { code: number } }>(pusher.connection, 'error');
    const resubscribed = channels.map((channel) => nextEvent(channel, 'pusher:subscription_succeeded'));

    const drained = Date.now();
    await s.replaceNode();
    await Promise.all(resubscribed);
    expect((await error).data.data.code).toBe(4200);

    const secondId = pusher.connection.socket_id;
    expect(secondId).not.toBe(firstId);
    expect(s.connections.at(-1)).toEqual({ socketId: secondId, transport: SERVER_TRANSPORT_NAME[transport] });
    // Private and presence channels were authorised again, for the new socket id, without app code.
    expect(
      s.authCalls
        .filter((c) => c.socketId === secondId)
        .map((c) => c.channel)
        .sort(),
    ).toEqual(['presence-room', 'private-orders']);
    // 4200 means "reconnect now": no 1 s backoff, no `unavailable`.
    expect(states.map((c) => c.state)).toEqual(['connecting', 'connected']);
    expect(states[1]!.at - drained).toBeLessThan(1000);
    const got = nextEvent(channels[1]!, 'placed');
    await s.sdk.trigger('private-orders', 'placed', { after: 'restart' });
    expect((await got).data).toEqual({ after: 'restart' });
  });
});

describe('stock pusher-js over ws: a node that drains with no successor yet', () => {
  it('item 6: 4200 brings an immediate retry, the draining node answers 4100, and pusher-js waits ~1 s before the next', async () => {
    const s = (server = await startCompatServer());
    const pusher = clients.create({ port: s.port });
    const news = pusher.subscribe('news');
    await nextEvent(news, 'pusher:subscription_succeeded');
    const codes: { code: number; at: number }[] = [];
    let refused: () => void = () => undefined;
    const gotRefusal = new Promise<void>((resolve) => (refused = resolve));
    pusher.connection.bind(
      'error',
      (error: { data?: { code?: number }; error?: { data?: { code?: number } } }) => {
        const code = error.data?.code ?? error.error?.data?.code;
        if (code === undefined) return;
        codes.push({ code, at: Date.now() });
        if (code === 4100) refused();
      },
    );
    const back = nextEvent(news, 'pusher:subscription_succeeded', 5000);
    void s.tether.drain({ drainMs: 5000 });
    await gotRefusal;
    // Only now does a healthy node take the address; pusher-js must still be in its 1 s backoff.
    const replaced = s.replaceNode();
    await back;
    const connectedAt = Date.now();
    await replaced;
    // pusher-js reports each code twice (the pusher:error, then the close): keep the first of each run.
    const distinct = codes.filter((c, i) => i === 0 || codes[i - 1]!.code !== c.code);
    expect(distinct.map((c) => c.code)).toEqual([4200, 4100]);
    expect(distinct[1]!.at - distinct[0]!.at).toBeLessThan(500);
    expect(connectedAt - distinct[1]!.at).toBeGreaterThanOrEqual(900);
  });
});

describe.each(HTTP_TRANSPORTS)('stock pusher-js over %s: HTTP sessions', (transport) => {
  it('item 9 over HTTP: an unknown key gets o then c[4001,…] and pusher-js ends disconnected', async () => {
    const s = (server = await startCompatServer());
    const pusher = clients.create({ port: s.port, transport, key: 'no-such-key' });
    const states = recordStates(pusher);
    const error = await nextEvent<{ error?: { data?: { code: number } }; data?: { code: number } }>(
      pusher.connection,
      'error',
    );
    expect(error.data.error?.data?.code ?? error.data.data?.code).toBe(4001);
    await waitForState(pusher, 'disconnected');
    expect(states.map((c) => c.state)).not.toContain('connected');
  });

  it('item 38: a client that vanishes is collected after sessionGcMs and presence sends member_removed', async () => {
    const s = (server = await startCompatServer({ httpFallbacks: { sessionGcMs: SESSION_GC_MS } }));
    const observer = clients.create({ port: s.port, transport: 'ws', params: { user_id: 'observer' } });
    const room = observer.subscribe('presence-room');
    await nextEvent(room, 'pusher:subscription_succeeded');
    const subject = clients.create({ port: s.port, transport, params: { user_id: 'leaver' } });
    const joined = nextEvent(room, 'pusher:member_added');
    subject.subscribe('presence-room');
    expect((await joined).data).toMatchObject({ id: 'leaver' });

    const socketId = subject.connection.socket_id;
    const removed = nextEvent<{ id: string }>(room, 'pusher:member_removed', SESSION_GC_MS * 5);
    const collected = nextServerEvent(s, 'disconnection', (c) => c.socketId === socketId, SESSION_GC_MS * 5);
    const left = Date.now();
    // pusher-js just aborts its requests: the server hears nothing and must collect the session itself.
    subject.disconnect();
    expect(await collected).toMatchObject({ code: 1006, transport: SERVER_TRANSPORT_NAME[transport] });
    expect((await removed).data.id).toBe('leaver');
    expect(Date.now() - left).toBeGreaterThanOrEqual(SESSION_GC_MS * 0.9);
  });
});

describe('stock pusher-js over xhr_streaming: a cut stream', () => {
  it('item 38: a stream cut server-side makes pusher-js reconnect with a new session; the old one is collected', async () => {
    const s = (server = await startCompatServer({ httpFallbacks: { sessionGcMs: SESSION_GC_MS } }));
    const pusher = clients.create({ port: s.port, transport: 'xhr_streaming' });
    const news = pusher.subscribe('news');
    await nextEvent(news, 'pusher:subscription_succeeded');
    const firstId = pusher.connection.socket_id;
    const oldGone = nextServerEvent(s, 'disconnection', (c) => c.socketId === firstId, SESSION_GC_MS * 5);
    const back = nextEvent(news, 'pusher:subscription_succeeded', 5000);
    s.http.closeAllConnections();
    await back;
    expect(pusher.connection.socket_id).not.toBe(firstId);
    expect((await oldGone).code).toBe(1006);
    const got = nextEvent(news, 'headline');
    await s.sdk.trigger('news', 'headline', { n: 1 });
    expect((await got).data).toEqual({ n: 1 });
  });
});
