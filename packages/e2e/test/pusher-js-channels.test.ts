import { afterEach, describe, expect, it } from 'vitest';
import {
  nextServerEvent,
  startCompatServer,
  type CompatServer,
  type CompatServerOptions,
} from '../src/compat-server.js';
import {
  nextEvent,
  PUSHER_JS_TRANSPORTS,
  PusherJsClients,
  recordEvents,
  SERVER_TRANSPORT_NAME,
  waitForState,
  type ClientSetup,
  type PusherJsTransport,
} from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

/** HTTP sessions whose client went away are collected after this long (default 10 s) so tests stay fast. */
const SESSION_GC_MS = 1000;

async function start(options: CompatServerOptions = {}): Promise<CompatServer> {
  server = await startCompatServer({ httpFallbacks: { sessionGcMs: SESSION_GC_MS }, ...options });
  return server;
}

type Pusher = ReturnType<PusherJsClients['create']>;
type Member = { id: string; info: { name: string } };

/** A stock pusher-js client over `transport` that has reached `connected` (checked on the server side too). */
async function connect(
  s: CompatServer,
  transport: PusherJsTransport,
  setup: Partial<ClientSetup> = {},
): Promise<Pusher> {
  const pusher = clients.create({ port: s.port, transport, ...setup });
  await waitForState(pusher, 'connected');
  expect(s.connections.find((c) => c.socketId === pusher.connection.socket_id)?.transport).toBe(
    SERVER_TRANSPORT_NAME[transport],
  );
  return pusher;
}

async function subscribed(pusher: Pusher, name: string): Promise<ReturnType<Pusher['subscribe']>> {
  const channel = pusher.subscribe(name);
  await nextEvent(channel, 'pusher:subscription_succeeded');
  return channel;
}

/** Ends a client and waits until the server has cleaned up after it (for HTTP: after the session is collected). */
async function leave(s: CompatServer, pusher: Pusher): Promise<void> {
  const socketId = pusher.connection.socket_id;
  const gone = nextServerEvent(s, 'disconnection', (c) => c.socketId === socketId);
  pusher.disconnect();
  await gone;
}

/** Every frame published before this call has reached `pusher` on `channel` once this resolves. */
async function barrier(s: CompatServer, channel: ReturnType<Pusher['subscribe']>): Promise<void> {
  const marker = nextEvent(channel, 'barrier');
  await s.sdk.trigger(channel.name, 'barrier', {});
  await marker;
}

describe.each(PUSHER_JS_TRANSPORTS)('stock pusher-js over %s: channels', (transport) => {
  it('item 11, 22: a public subscribe succeeds and an SDK trigger arrives with its JSON data', async () => {
    const s = await start();
    const pusher = await connect(s, transport);
    const channel = await subscribed(pusher, 'news');
    expect(channel.subscribed).toBe(true);
    const got = nextEvent(channel, 'headline');
    const response = await s.sdk.trigger('news', 'headline', { a: 1, text: 'héllo ✓' });
    expect(response.status).toBe(200);
    expect((await got).data).toEqual({ a: 1, text: 'héllo ✓' });
  });

  it('item 12: a private subscribe through the SDK authorizeChannel succeeds; a tampered signature gives subscription_error and no close', async () => {
    const s = await start();
    const good = await connect(s, transport);
    const channel = await subscribed(good, 'private-orders');
    expect(s.authCalls).toContainEqual({
      path: '/pusher/auth',
      socketId: good.connection.socket_id,
      channel: 'private-orders',
    });
    const got = nextEvent(channel, 'placed');
    await s.sdk.trigger('private-orders', 'placed', { id: 7 });
    expect((await got).data).toEqual({ id: 7 });

    const bad = await connect(s, transport, { params: { tamper: '1' } });
    const errors = recordEvents<{ type: string }>(bad.connection, 'error');
    const refused = bad.subscribe('private-orders');
    const leaked = recordEvents(refused, 'placed');
    const failure = await nextEvent<{ type: string; status: number }>(refused, 'pusher:subscription_error');
    expect(failure.data).toMatchObject({ type: 'AuthError', status: 401 });
    expect(refused.subscribed).toBe(false);
    // Still connected and usable: a public channel subscribes on the same connection.
    const news = await subscribed(bad, 'news');
    expect(bad.connection.state).toBe('connected');
    expect(errors.map((e) => e.type)).toContain('PusherError');
    await s.sdk.trigger('private-orders', 'placed', { id: 8 });
    await barrier(s, news);
    expect(leaked).toEqual([]);
  });

  it('items 13, 14, 15: presence members keyed by user id; member_added on first tab only, member_removed on last tab only', async () => {
    const s = await start();
    const observer = await connect(s, transport, { params: { user_id: 'watcher' } });
    const watched = await subscribed(observer, 'presence-room');
    const added = recordEvents<Member>(watched, 'pusher:member_added');
    const removed = recordEvents<Member>(watched, 'pusher:member_removed');

    const tab1 = await connect(s, transport, { params: { user_id_number: '42', name: 'Ada' } });
    const room1 = await subscribed(tab1, 'presence-room');
    const members = (
      room1 as unknown as { members: { me: Member; count: number; get(id: string): Member | null } }
    ).members;
    // pusher-js takes `me.id` from its own parse of channel_data (the number); the server's hash is keyed by '42'.
    expect(String(members.me.id)).toBe('42');
    expect(members.me.info).toEqual({ name: 'Ada' });
    expect(members.get('42')).toEqual({ id: '42', info: { name: 'Ada' } });
    expect(members.count).toBe(2);
    expect(members.get('watcher')).not.toBeNull();

    const tab2 = await connect(s, transport, { params: { user_id_number: '42', name: 'Ada' } });
    const room2 = await subscribed(tab2, 'presence-room');
    expect((room2 as unknown as { members: { count: number } }).members.count).toBe(2);
    await barrier(s, watched);
    expect(added).toEqual([{ id: '42', info: { name: 'Ada' } }]);

    await leave(s, tab1);
    await barrier(s, watched);
    expect(removed).toEqual([]);
    await leave(s, tab2);
    await barrier(s, watched);
    expect(removed).toEqual([{ id: '42', info: { name: 'Ada' } }]);
    expect((watched as unknown as { members: { count: number } }).members.count).toBe(1);
  });

  it('item 16: client events reach the others on private and presence channels, never the sender; presence adds user_id', async () => {
    const s = await start();
    const a = await connect(s, transport, { params: { user_id: 'alice' } });
    const b = await connect(s, transport, { params: { user_id: 'bob' } });
    const aPrivate = await subscribed(a, 'private-chat');
    const bPrivate = await subscribed(b, 'private-chat');
    const echoes = recordEvents(aPrivate, 'client-typing');
    const got = nextEvent(bPrivate, 'client-typing');
    expect(aPrivate.trigger('client-typing', { on: true })).toBe(true);
    expect((await got).data).toEqual({ on: true });

    const aRoom = await subscribed(a, 'presence-chat');
    const bRoom = await subscribed(b, 'presence-chat');
    const inRoom = nextEvent(bRoom, 'client-wave');
    aRoom.trigger('client-wave', { hi: 1 });
    const wave = await inRoom;
    expect(wave.data).toEqual({ hi: 1 });
    expect(wave.metadata?.user_id).toBe('alice');

    await barrier(s, aPrivate);
    expect(echoes).toEqual([]);
  });

  it('item 16: a client event on a public channel is rejected with pusher:error and the connection stays up', async () => {
    const s = await start();
    const a = await connect(s, transport);
    const b = await connect(s, transport);
    const aNews = await subscribed(a, 'news');
    const bNews = await subscribed(b, 'news');
    const leaked = recordEvents(bNews, 'client-spam');
    const error = nextEvent<{ type: string; data: { message: string } }>(a.connection, 'error');
    aNews.trigger('client-spam', {});
    expect((await error).data).toMatchObject({
      type: 'PusherError',
      data: { message: expect.stringContaining('private and presence') },
    });
    await barrier(s, bNews);
    expect(leaked).toEqual([]);
    expect(a.connection.state).toBe('connected');
  });

  it('item 16: client events are rejected when the app disables them', async () => {
    const s = await start({ app: { clientEvents: false } });
    const a = await connect(s, transport);
    const channel = await subscribed(a, 'private-chat');
    const error = nextEvent<{ data: { message: string } }>(a.connection, 'error');
    channel.trigger('client-typing', {});
    expect((await error).data.data.message).toMatch(/disabled/);
    expect(a.connection.state).toBe('connected');
  });

  it('item 8: over the client-event rate limit pusher-js gets pusher:error 4301 and stays connected', async () => {
    const s = await start({ app: { maxClientEventsPerSecond: 3 } });
    const a = await connect(s, transport);
    const b = await connect(s, transport);
    const aChat = await subscribed(a, 'private-chat');
    const bChat = await subscribed(b, 'private-chat');
    const delivered = recordEvents(bChat, 'client-burst');
    const limited = nextEvent<{ data: { code: number } }>(a.connection, 'error');
    for (let i = 0; i < 6; i += 1) aChat.trigger('client-burst', { i });
    expect((await limited).data.data.code).toBe(4301);
    await barrier(s, bChat);
    // Over HTTP each client event is its own POST, so the three that pass may arrive in any order.
    expect(delivered).toHaveLength(3);
    expect(a.connection.state).toBe('connected');
  });
});
