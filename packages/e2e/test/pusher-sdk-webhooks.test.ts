import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nextServerEvent, startCompatServer, type CompatServer } from '../src/compat-server.js';
import { nextEvent, PUSHER_JS_TRANSPORTS, PusherJsClients } from '../src/pusher-js-clients.js';

// Spec §11 items 20 (cache_miss webhook), 30, 31 and 32: Tether's webhooks as the official SDK checks them.

interface WebhookEvent {
  name: string;
  channel: string;
  user_id?: string;
  event?: string;
  data?: string;
  socket_id?: string;
}

interface Delivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** The app's webhook endpoint: records every POST; `until` awaits the events a test expects. */
class WebhookTarget {
  readonly deliveries: Delivery[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly server: Server) {}

  static async start(): Promise<WebhookTarget> {
    const target: WebhookTarget = new WebhookTarget(
      createServer((req, res) => {
        let rawBody = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (rawBody += chunk));
        req.on('end', () => {
          target.deliveries.push({ headers: req.headers, rawBody });
          res.end();
          for (const wake of target.waiters.splice(0)) wake();
        });
      }),
    );
    await new Promise<void>((resolve) => target.server.listen(0, '127.0.0.1', resolve));
    return target;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/pusher/webhooks`;
  }

  events(): WebhookEvent[] {
    return this.deliveries.flatMap((d) => (JSON.parse(d.rawBody) as { events: WebhookEvent[] }).events);
  }

  async until(predicate: (events: WebhookEvent[]) => boolean, timeoutMs = 5000): Promise<WebhookEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events())) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`webhooks so far: ${JSON.stringify(this.events())}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let server: CompatServer | undefined;
let target: WebhookTarget | undefined;
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

async function start(events = ALL_EVENTS): Promise<{ s: CompatServer; hooks: WebhookTarget }> {
  const hooks = (target = await WebhookTarget.start());
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
    for (const delivery of hooks.deliveries) {
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
    const delivery = hooks.deliveries[0]!;
    const forged = { ...delivery.headers, 'x-pusher-signature': '0'.repeat(64) };
    expect(s.sdk.webhook({ headers: forged, rawBody: delivery.rawBody }).isValid()).toBe(false);
  });
});
