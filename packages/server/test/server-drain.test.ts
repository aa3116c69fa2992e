import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/test-server.js';
import { ClientPool } from './support/ws-test-client.js';

let server: TestServer | undefined;
let pool: ClientPool;

afterEach(async () => {
  pool.closeAll();
  await server?.close();
  server = undefined;
});

describe('drain and close', () => {
  it('sends every client pusher:error 4200 and close 4200, then refuses new connections with 4100', async () => {
    server = await startServer();
    pool = new ClientPool(server.wsUrl);
    const clients = await Promise.all([1, 2, 3].map(() => pool.connect()));
    await clients[0]!.client.subscribe('news');
    await server.tether.drain({ drainMs: 2000 });
    for (const { client } of clients) {
      expect(client.all((m) => m.event === 'pusher:error')[0]?.parsed).toMatchObject({ code: 4200 });
      expect((await client.closed).code).toBe(4200);
    }
    expect(server.tether.connectionCount).toBe(0);
    const late = await pool.open('/app/app-key?protocol=7');
    expect((await late.closed).code).toBe(4100);
  });

  it('is bounded in time: a client that never answers the close is cut after drainMs', async () => {
    server = await startServer();
    pool = new ClientPool(server.wsUrl);
    const { client } = await pool.connect();
    // Stop reading: the close frame is never answered, so only the drain deadline ends the session.
    client.socket.pause();
    const started = Date.now();
    await server.tether.drain({ drainMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.tether.connectionCount).toBe(0);
  });
});
