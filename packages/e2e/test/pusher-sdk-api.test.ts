import Pusher from 'pusher';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '@tether/server';
import { compatApp, startCompatServer, type CompatServer } from '../src/compat-server.js';
import {
  nextEvent,
  PUSHER_JS_TRANSPORTS,
  PusherJsClients,
  recordEvents,
  type PusherJsTransport,
} from '../src/pusher-js-clients.js';

// Spec §11 items 22–28: the official `pusher` SDK against Tether's HTTP API, stock pusher-js receiving.
let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

type PusherJs = ReturnType<PusherJsClients['create']>;

async function subscribedClient(
  s: CompatServer,
  channels: string[],
  setup: { transport?: PusherJsTransport; userId?: string } = {},
): Promise<PusherJs> {
  const pusher = clients.create({
    port: s.port,
    transport: setup.transport ?? 'ws',
    params: { user_id: setup.userId ?? 'anonymous' },
  });
  await Promise.all(
    channels.map((name) => nextEvent(pusher.subscribe(name), 'pusher:subscription_succeeded')),
  );
  return pusher;
}

/** The SDK's RequestError for a call that must fail: its status and parsed JSON body. */
async function sdkFailure(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Pusher.RequestError)
      return { status: error.status ?? 0, body: JSON.parse(error.body ?? 'null') as unknown };
    throw error;
  }
  throw new Error('the SDK call succeeded');
}

/** The SDK resolves with a node-fetch Response; every Tether API answer is JSON. */
const json = async (response: { json(): Promise<unknown> }): Promise<unknown> => await response.json();

describe('official pusher SDK against the HTTP API', () => {
  it('item 22: trigger to 100 channels reaches a pusher-js subscriber on each; 101 is refused by the SDK itself', async () => {
    const s = (server = await startCompatServer());
    const channels = Array.from({ length: 100 }, (_, i) => `room-${i}`);
    const pusher = await subscribedClient(s, channels);
    const got = channels.map((name) => nextEvent(pusher.channel(name), 'fanout'));
    const response = await s.sdk.trigger(channels, 'fanout', { hello: 'all' });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({});
    expect((await Promise.all(got)).map((e) => e.data)).toEqual(channels.map(() => ({ hello: 'all' })));
    expect(() => s.sdk.trigger([...channels, 'room-100'], 'fanout', {})).toThrow(/100/);
  });

  it.each(PUSHER_JS_TRANSPORTS)(
    'item 23: trigger with socket_id excludes that %s connection',
    async (transport) => {
      const s = (server = await startCompatServer());
      const sender = await subscribedClient(s, ['chat'], { transport });
      const other = await subscribedClient(s, ['chat'], { transport });
      const echoed = recordEvents(sender.channel('chat'), 'said');
      const got = nextEvent(other.channel('chat'), 'said');
      await s.sdk.trigger('chat', 'said', { text: 'hi' }, { socket_id: sender.connection.socket_id });
      expect((await got).data).toEqual({ text: 'hi' });
      const barrier = nextEvent(sender.channel('chat'), 'barrier');
      await s.sdk.trigger('chat', 'barrier', {});
      await barrier;
      expect(echoed).toEqual([]);
    },
  );

  it('item 24: triggerBatch with 10 events delivers each; 11 gives 400 with a JSON body', async () => {
    const s = (server = await startCompatServer());
    const pusher = await subscribedClient(s, ['b0', 'b9']);
    const batch = (n: number): Pusher.BatchEvent[] =>
      Array.from({ length: n }, (_, i) => ({ channel: `b${i}`, name: 'item', data: JSON.stringify({ i }) }));
    const first = nextEvent(pusher.channel('b0'), 'item');
    const last = nextEvent(pusher.channel('b9'), 'item');
    const response = await s.sdk.triggerBatch(batch(10));
    expect(response.status).toBe(200);
    expect((await first).data).toEqual({ i: 0 });
    expect((await last).data).toEqual({ i: 9 });
    const failure = await sdkFailure(s.sdk.triggerBatch(batch(11)));
    expect(failure.status).toBe(400);
    expect(failure.body).toMatchObject({ error: expect.stringContaining('10') });
  });

  it('items 25, 26, 27: info on trigger, /channels, /channels/:name and /users count unique presence users', async () => {
    const s = (server = await startCompatServer());
    await subscribedClient(s, ['presence-room', 'news'], { userId: 'u1' });
    await subscribedClient(s, ['presence-room', 'news'], { userId: 'u1' });
    await subscribedClient(s, ['presence-room'], { userId: 'u2' });

    const triggered = await s.sdk.trigger(
      ['presence-room', 'news'],
      'ev',
      {},
      { info: 'user_count,subscription_count' },
    );
    expect(await json(triggered)).toEqual({
      channels: { 'presence-room': { user_count: 2 }, news: { subscription_count: 2 } },
    });

    const listed = await s.sdk.get({
      path: '/channels',
      params: { filter_by_prefix: 'presence-', info: 'user_count' },
    });
    expect(await json(listed)).toEqual({ channels: { 'presence-room': { user_count: 2 } } });
    expect(await json(await s.sdk.get({ path: '/channels' }))).toEqual({
      channels: { 'presence-room': {}, news: {} },
    });
    expect((await sdkFailure(s.sdk.get({ path: '/channels', params: { info: 'user_count' } }))).status).toBe(
      400,
    );

    expect(
      await json(await s.sdk.get({ path: '/channels/presence-room', params: { info: 'user_count' } })),
    ).toEqual({ occupied: true, user_count: 2 });
    expect(
      await json(await s.sdk.get({ path: '/channels/news', params: { info: 'subscription_count' } })),
    ).toEqual({ occupied: true, subscription_count: 2 });
    expect(await json(await s.sdk.get({ path: '/channels/empty' }))).toEqual({ occupied: false });
    expect(
      (await sdkFailure(s.sdk.get({ path: '/channels/news', params: { info: 'user_count' } }))).status,
    ).toBe(400);

    const users = (await json(await s.sdk.get({ path: '/channels/presence-room/users' }))) as {
      users: { id: string }[];
    };
    expect(users.users.map((u) => u.id).sort()).toEqual(['u1', 'u2']);
    expect((await sdkFailure(s.sdk.get({ path: '/channels/news/users' }))).status).toBe(400);
  });

  it('item 28: a wrong secret and a clock 601 s apart give 401; a payload over the limit gives 413', async () => {
    const s = (server = await startCompatServer({ app: { maxEventPayloadBytes: 1024 } }));
    const wrongSecret = new Pusher({
      appId: compatApp.id,
      key: compatApp.key,
      secret: 'not-the-secret',
      host: '127.0.0.1',
      port: String(s.port),
    });
    expect((await sdkFailure(wrongSecret.trigger('news', 'ev', {}))).status).toBe(401);
    expect((await sdkFailure(s.sdk.trigger('news', 'ev', { big: 'x'.repeat(2000) }))).status).toBe(413);
    expect((await s.sdk.trigger('news', 'ev', { small: 'x'.repeat(500) })).status).toBe(200);
    await s.close();

    // The server's clock runs 601 s ahead of the SDK's: the request is too old.
    const skewed = (server = await startCompatServer({
      clock: { ...systemClock, now: () => Date.now() + 601_000 },
    }));
    const stale = await sdkFailure(skewed.sdk.trigger('news', 'ev', {}));
    expect(stale.status).toBe(401);
    expect(JSON.stringify(stale.body)).toMatch(/timestamp/i);
  });
});
