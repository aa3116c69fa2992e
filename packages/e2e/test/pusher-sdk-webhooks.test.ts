import { afterEach, describe, expect, it } from 'vitest';
import { nextServerEvent, startCompatServer, type CompatServer } from '../src/compat-server.js';
import { nextEvent, PUSHER_JS_TRANSPORTS, PusherJsClients } from '../src/pusher-js-clients.js';
import { WebhookReceiver } from '../src/webhook-receiver.js';

// Spec §11 items 20 (cache_miss webhook), 30, 31 and 32: Tether's webhooks as the official SDK checks them.

let server: CompatServer | undefined;
let target: WebhookReceiver | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
  await target?.close();
  target = undefined;
});

const ALL_EVENTS = [
  'channel_occupied',
  'channel_vacated',
  'member_added',
  'member_removed',
  'client_event',
  'cache_miss',
];

async function start(events = ALL_EVENTS): Promise<{ s: CompatServer; hooks: WebhookReceiver }> {
  const hooks = (target = await WebhookReceiver.start());
  const s = (server = await startCompatServer({
    app: { webhooks: [{ url: hooks.url, events }] },
    // No leave delay: the ~3 s reload window is proven on fake timers in the server's unit tests.
    webhooks: { leaveDelayMs: 0 },
    httpFallbacks: { sessionGcMs: 1000 },
  }));
  return { s, hooks };
}

describe.each(PUSHER_JS_TRANSPORTS)('webhooks for stock pusher-js clients over %s', (transport) => {
  it('items 30, 31, 32: occupied, member_added, client_event, member_removed, vacated; each POST valid for the SDK', async () => {
    const { s, hooks } = await start();
    const alice = clients.create({ port: s.port, transport, params: { user_id: 'alice' } });
    const bob = clients.create({ port: s.port, transport, params: { user_id: 'bob' } });
    const aliceRoom = alice.subscribe('presence-room');
    await nextEvent(aliceRoom, 'pusher:subscription_succeeded');
    const bobRoom = bob.subscribe('presence-room');
    await nextEvent(bobRoom, 'pusher:subscription_succeeded');
    const relayed = nextEvent(bobRoom, 'client-wave');
    aliceRoom.trigger('client-wave', { hi: 1 });
    await relayed;
    const aliceSocket = alice.connection.socket_id;
    await hooks.until((events) => events.some((e) => e.name === 'client_event'));

    const bobGone = nextServerEvent(s, 'disconnection', (c) => c.socketId === bob.connection.socket_id);
    bob.disconnect();
    await bobGone;
    alice.disconnect();
    const events = await hooks.until((all) => all.some((e) => e.name === 'channel_vacated'));

    expect(events).toEqual([
      { name: 'channel_occupied', channel: 'presence-room' },
      { name: 'member_added', channel: 'presence-room', user_id: 'alice' },
      { name: 'member_added', channel: 'presence-room', user_id: 'bob' },
      {
        name: 'client_event',
        channel: 'presence-room',
        event: 'client-wave',
        data: '{"hi":1}',
        socket_id: aliceSocket,
        user_id: 'alice',
      },
      { name: 'member_removed', channel: 'presence-room', user_id: 'bob' },
      { name: 'member_removed', channel: 'presence-room', user_id: 'alice' },
      { name: 'channel_vacated', channel: 'presence-room' },
    ]);
    for (const delivery of hooks.received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['x-pusher-key']).toBe('app-key');
      const webhook = s.sdk.webhook({ headers: delivery.headers, rawBody: delivery.rawBody });
      expect(webhook.isValid()).toBe(true);
      expect(webhook.getTime()).toBeInstanceOf(Date);
    }
  });
});

describe('webhook targets', () => {
  it('item 20: subscribing to an empty cache channel sends a cache_miss webhook', async () => {
    const { s, hooks } = await start();
    const pusher = clients.create({ port: s.port });
    await nextEvent(pusher.subscribe('cache-prices'), 'pusher:cache_miss');
    const events = await hooks.until((all) => all.some((e) => e.name === 'cache_miss'));
    expect(events.filter((e) => e.name === 'cache_miss')).toEqual([
      { name: 'cache_miss', channel: 'cache-prices' },
    ]);
  });

  it('a target gets only the events it lists, and a body signed with another secret fails the SDK check', async () => {
    const { s, hooks } = await start(['member_added']);
    const pusher = clients.create({ port: s.port, params: { user_id: 'carol' } });
    await nextEvent(pusher.subscribe('presence-solo'), 'pusher:subscription_succeeded');
    const events = await hooks.until((all) => all.length > 0);
    expect(events).toEqual([{ name: 'member_added', channel: 'presence-solo', user_id: 'carol' }]);
    const delivery = hooks.received[0]!;
    const forged = { ...delivery.headers, 'x-pusher-signature': '0'.repeat(64) };
    expect(s.sdk.webhook({ headers: forged, rawBody: delivery.rawBody }).isValid()).toBe(false);
  });
});
