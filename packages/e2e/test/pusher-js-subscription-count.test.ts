import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { nextEvent, PusherJsClients, recordEvents } from '../src/pusher-js-clients.js';

/**
 * Pusher's opt-in subscription counting, as an app uses it with stock pusher-js:
 * `channel.bind('pusher:subscription_count', ({ subscription_count }) => ...)`.
 * Tether turns it on per app with `subscriptionCountEvents: true`.
 */

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

const COUNT = 'pusher:subscription_count';
type CountData = { subscription_count: number };

describe('stock pusher-js: pusher:subscription_count', () => {
  it('public and private channels report every join and leave to their subscribers, and channel.subscriptionCount follows', async () => {
    const s = (server = await startCompatServer({ app: { subscriptionCountEvents: true } }));
    for (const name of ['news', 'private-orders']) {
      const first = clients.create({ port: s.port });
      const watched = first.subscribe(name);
      expect((await nextEvent<CountData>(watched, COUNT)).data).toEqual({ subscription_count: 1 });

      const second = clients.create({ port: s.port });
      const joined = nextEvent<CountData>(watched, COUNT);
      const other = second.subscribe(name);
      expect((await nextEvent<CountData>(other, COUNT)).data).toEqual({ subscription_count: 2 });
      expect((await joined).data).toEqual({ subscription_count: 2 });
      expect((watched as unknown as { subscriptionCount: number }).subscriptionCount).toBe(2);

      const left = nextEvent<CountData>(watched, COUNT);
      second.disconnect();
      expect((await left).data).toEqual({ subscription_count: 1 });
      expect((watched as unknown as { subscriptionCount: number }).subscriptionCount).toBe(1);
    }
  });

  it('presence channels get none (their subscribers have members.count)', async () => {
    const s = (server = await startCompatServer({ app: { subscriptionCountEvents: true } }));
    const pusher = clients.create({ port: s.port, params: { user_id: 'ada' } });
    const room = pusher.subscribe('presence-room');
    const roomCounts = recordEvents(room, COUNT);
    await nextEvent(room, 'pusher:subscription_succeeded');
    const second = clients.create({ port: s.port, params: { user_id: 'bob' } });
    const joined = nextEvent(room, 'pusher:member_added');
    second.subscribe('presence-room');
    await joined;
    // An event sent after the joins arrives after anything the joins caused.
    const marker = nextEvent(room, 'marker');
    await s.sdk.trigger('presence-room', 'marker', {});
    await marker;
    expect(roomCounts).toEqual([]);
  });

  it('an app without subscriptionCountEvents (the default) gets none', async () => {
    const plain = (server = await startCompatServer());
    const listener = clients.create({ port: plain.port });
    const news = listener.subscribe('news');
    const newsCounts = recordEvents(news, COUNT);
    await nextEvent(news, 'pusher:subscription_succeeded');
    const got = nextEvent(news, 'marker');
    await plain.sdk.trigger('news', 'marker', {});
    await got;
    expect(newsCounts).toEqual([]);
  });
});
