import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import {
  nextEvent,
  PUSHER_JS_TRANSPORTS,
  PusherJsClients,
  recordEvents,
  waitForState,
} from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

describe.each(PUSHER_JS_TRANSPORTS)('stock pusher-js over %s: cache channels (item 20)', (transport) => {
  it('an empty cache channel gives pusher:cache_miss after subscription_succeeded', async () => {
    const s = (server = await startCompatServer());
    const pusher = clients.create({ port: s.port, transport });
    const channel = pusher.subscribe('cache-prices');
    const order: string[] = [];
    channel.bind('pusher:subscription_succeeded', () => order.push('succeeded'));
    await nextEvent(channel, 'pusher:cache_miss').then(() => order.push('cache_miss'));
    expect(order).toEqual(['succeeded', 'cache_miss']);
  });

  it('a subscriber arriving after a trigger gets the last event replayed, and no cache_miss', async () => {
    const s = (server = await startCompatServer());
    await s.sdk.trigger('cache-prices', 'price', { v: 1 });
    await s.sdk.trigger('cache-prices', 'price', { v: 2 });
    const pusher = clients.create({ port: s.port, transport });
    await waitForState(pusher, 'connected');
    const channel = pusher.subscribe('cache-prices');
    const misses = recordEvents(channel, 'pusher:cache_miss');
    const replayed = await nextEvent(channel, 'price');
    expect(replayed.data).toEqual({ v: 2 });
    const live = nextEvent(channel, 'price');
    await s.sdk.trigger('cache-prices', 'price', { v: 3 });
    expect((await live).data).toEqual({ v: 3 });
    expect(misses).toEqual([]);
  });

  it('private cache channels replay through the auth endpoint too', async () => {
    const s = (server = await startCompatServer());
    await s.sdk.trigger('private-cache-doc', 'saved', { rev: 9 });
    const pusher = clients.create({ port: s.port, transport });
    const channel = pusher.subscribe('private-cache-doc');
    expect((await nextEvent(channel, 'saved')).data).toEqual({ rev: 9 });
    expect(s.authCalls.map((c) => c.channel)).toEqual(['private-cache-doc']);
  });
});
