import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Pusher from 'pusher';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/test-server.js';
import { ClientPool, presenceAuth } from './support/ws-test-client.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  events: { name: string; channel: string; user_id?: string }[];
}

/** A webhook target on 127.0.0.1:0 that records every POST and lets a test await the next one. */
async function startTarget(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  next(): Promise<Received>;
}> {
  const received: Received[] = [];
  let waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    let rawBody = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (rawBody += chunk));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        rawBody,
        events: (JSON.parse(rawBody) as { events: Received['events'] }).events,
      });
      res.end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let cursor = 0;
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    async next() {
      while (received.length <= cursor)
        await new Promise<void>((resolve) => (waiters = [...waiters, resolve]));
      cursor += 1;
      return received[cursor - 1]!;
    },
  };
}

let server: TestServer | undefined;
let target: Awaited<ReturnType<typeof startTarget>> | undefined;
let pool: ClientPool;

afterEach(async () => {
  pool.closeAll();
  await server?.close();
  server = undefined;
  target?.server.close();
  target = undefined;
});

const ALL = [
  'channel_occupied',
  'channel_vacated',
  'member_added',
  'member_removed',
  'client_event',
  'cache_miss',
];

describe('webhooks configured per app', () => {
  it('are sent by createTetherServer to the app targets, signed so the official SDK validates them', async () => {
    target = await startTarget();
    const app = {
      id: 'app-id',
      key: 'app-key',
      secret: 'app-secret',
      webhooks: [{ url: target.url, events: ALL }],
    };
    server = await startServer({ apps: [app], webhooks: { batchWindowMs: 0, leaveDelayMs: 0 } });
    pool = new ClientPool(server.wsUrl);
    const { client, socketId } = await pool.connect();
    const channel = 'presence-room';
    const channelData = JSON.stringify({ user_id: 'u1', user_info: {} });
    await client.subscribe(channel, {
      auth: presenceAuth(app.key, app.secret, socketId, channel, channelData),
      channel_data: channelData,
    });

    const names: string[] = [];
    while (!names.includes('member_added')) names.push(...(await target.next()).events.map((e) => e.name));
    expect(names).toEqual(['channel_occupied', 'member_added']);
    client.close();
    while (!names.includes('channel_vacated')) names.push(...(await target.next()).events.map((e) => e.name));
    expect(names.slice(2)).toEqual(['member_removed', 'channel_vacated']);

    const sdk = new Pusher({ appId: app.id, key: app.key, secret: app.secret, cluster: 'x' });
    for (const post of target.received) {
      expect(post.headers['content-type']).toBe('application/json');
      expect(sdk.webhook({ headers: post.headers, rawBody: post.rawBody }).isValid()).toBe(true);
    }
  });

  it('an app without targets sends nothing', async () => {
    target = await startTarget();
    server = await startServer({
      apps: [{ id: 'app-id', key: 'app-key', secret: 'app-secret' }],
      webhooks: { batchWindowMs: 0, leaveDelayMs: 0 },
    });
    pool = new ClientPool(server.wsUrl);
    const { client } = await pool.connect();
    await client.subscribe('news');
    await server.close();
    server = undefined;
    expect(target.received).toEqual([]);
  });
});
