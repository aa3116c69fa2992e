import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '@tether/server';
import { nextServerEvent, startServer, type TestServer } from './support/test-server.js';
import { ClientPool, privateAuth } from './support/ws-test-client.js';

let server: TestServer;
let pool: ClientPool;
let now = 1_000_000;
const clock: Clock = { ...systemClock, now: () => now };

beforeEach(async () => {
  now = 1_000_000;
  server = await startServer({
    clock,
    apps: [{ id: 'app-id', key: 'app-key', secret: 'app-secret', cacheTtlSeconds: 60 }],
  });
  pool = new ClientPool(server.wsUrl);
});

afterEach(async () => {
  pool.closeAll();
  await server.close();
});

const app = () => server.tether.apps.findByKey('app-key')!;

describe('cache channels', () => {
  it('an empty cache channel answers subscription_succeeded then pusher:cache_miss and reports cache_miss', async () => {
    const { client } = await pool.connect();
    const missed = nextServerEvent(server.tether, 'cache_miss');
    expect((await client.subscribe('cache-prices')).event).toBe('pusher_internal:subscription_succeeded');
    expect((await client.next()).event).toBe('pusher:cache_miss');
    expect(await missed).toMatchObject({ channel: 'cache-prices' });
  });

  it('replays the last event to a new subscriber and reports it with its remaining ttl', async () => {
    await server.tether.trigger(app(), [{ channel: 'cache-prices', name: 'price', data: '{"v":1}' }]);
    await server.tether.trigger(app(), [{ channel: 'cache-prices', name: 'price', data: '{"v":2}' }]);
    now += 15_000;
    const { client } = await pool.connect();
    await client.subscribe('cache-prices');
    const replay = await client.next();
    expect(replay).toMatchObject({ event: 'price', channel: 'cache-prices', parsed: { v: 2 } });
    expect(await server.tether.channelInfo(app(), 'cache-prices')).toMatchObject({
      cache: { data: '{"v":2}', ttl: 45 },
    });
  });

  it('forgets the event after its ttl', async () => {
    await server.tether.trigger(app(), [{ channel: 'cache-prices', name: 'price', data: '{}' }]);
    now += 61_000;
    const { client } = await pool.connect();
    await client.subscribe('cache-prices');
    expect((await client.next()).event).toBe('pusher:cache_miss');
  });

  it('private cache channels cache client events too', async () => {
    const channel = 'private-cache-doc';
    const a = await pool.connect();
    await a.client.subscribe(channel, { auth: privateAuth('app-key', 'app-secret', a.socketId, channel) });
    await a.client.nextEvent('pusher:cache_miss');
    a.client.send({ event: 'client-edit', channel, data: { rev: 3 } });
    await a.client.sync();
    const b = await pool.connect();
    await b.client.subscribe(channel, { auth: privateAuth('app-key', 'app-secret', b.socketId, channel) });
    expect(await b.client.next()).toMatchObject({ event: 'client-edit', parsed: { rev: 3 } });
  });
});
