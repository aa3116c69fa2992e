import { afterEach, describe, expect, it } from 'vitest';
import { nextServerEvent, startServer, type TestServer } from './support/test-server.js';
import { ClientPool } from './support/ws-test-client.js';

let server: TestServer | undefined;
let pool: ClientPool;

afterEach(async () => {
  pool.closeAll();
  await server?.close();
  server = undefined;
});

const FRAME_DATA = 'x'.repeat(60 * 1024);
const BURST = 1000;

describe('slow WebSocket consumers', () => {
  it('a client that stops reading is disconnected with 4110 while a reading client on the same channel gets everything', async () => {
    server = await startServer({
      maxBufferedBytes: 256 * 1024,
      apps: [{ id: 'app-id', key: 'app-key', secret: 'app-secret', maxEventPayloadBytes: 100 * 1024 }],
    });
    pool = new ClientPool(server.wsUrl);
    const slow = await pool.connect();
    const fast = await pool.connect();
    await slow.client.subscribe('firehose');
    await fast.client.subscribe('firehose');
    slow.client.socket.pause();
    const slowGone = nextServerEvent(server.tether, 'disconnection', (c) => c.socketId === slow.socketId);
    const app = server.tether.apps.findByKey('app-key')!;
    // Paced by the reading client; in all far more than the loopback socket buffers plus the limit,
    // so only the bound keeps the server's memory flat for the client that stopped reading.
    let code: number | undefined;
    void slowGone.then((context) => (code = context.code));
    for (let i = 0; i < BURST && code === undefined; i += 1) {
      await server.tether.trigger(app, [{ channel: 'firehose', name: 'blob', data: FRAME_DATA }]);
      await fast.client.next((m) => m.event === 'blob');
    }
    expect(await slowGone).toMatchObject({ code: 4110, reason: expect.stringContaining('Slow consumer') });
    expect(server.tether.connectionCount).toBe(1);
    await server.tether.trigger(app, [{ channel: 'firehose', name: 'after', data: '{}' }]);
    expect((await fast.client.next((m) => m.event === 'after')).channel).toBe('firehose');
  });
});
