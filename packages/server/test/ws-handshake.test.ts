import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startServer, type TestServer } from './support/test-server.js';
import { ClientPool } from './support/ws-test-client.js';

let server: TestServer | undefined;
let pool: ClientPool;

async function setup(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  server = await startServer(options);
  pool = new ClientPool(server.wsUrl);
  return server;
}

afterEach(async () => {
  pool.closeAll();
  await server?.close();
  server = undefined;
});

/** Opens a socket and expects `pusher:error {code}` as the only frame, then the same close code. */
async function expectRefused(path: string, code: number): Promise<void> {
  const client = await pool.open(path);
  const closed = await client.closed;
  expect(closed.code).toBe(code);
  expect(client.received).toHaveLength(1);
  expect(client.received[0]?.event).toBe('pusher:error');
  expect((client.received[0]?.parsed as { code: number }).code).toBe(code);
}

describe('WebSocket handshake', () => {
  it('sends exactly one connection_established first, double-encoded, with a Pusher socket id and activity_timeout', async () => {
    await setup();
    const client = await pool.open('/app/app-key?protocol=7&client=js&version=8.6.0&flash=false');
    const first = await client.next();
    expect(first.event).toBe('pusher:connection_established');
    expect(typeof first.data).toBe('string');
    const data = first.parsed as { socket_id: string; activity_timeout: number };
    expect(data.socket_id).toMatch(/^\d+\.\d+$/);
    expect(data.activity_timeout).toBe(120);
    await client.sync();
    expect(client.all((m) => m.event === 'pusher:connection_established')).toHaveLength(1);
  });

  it('gives every connection a different socket id sharing the node half', async () => {
    await setup({ nodeId: 4242 });
    const ids = await Promise.all([1, 2, 3, 4, 5].map(async () => (await pool.connect()).socketId));
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id.startsWith('4242.')).toBe(true);
  });

  it('advertises a configured activity timeout', async () => {
    await setup({ activityTimeoutSeconds: 30 });
    const client = await pool.open('/app/app-key?protocol=7');
    expect(((await client.next()).parsed as { activity_timeout: number }).activity_timeout).toBe(30);
  });

  it('refuses an unknown app key with 4001', async () => {
    await setup();
    await expectRefused('/app/nope?protocol=7', 4001);
  });

  it('refuses a disabled app with 4003', async () => {
    await setup({ apps: [{ id: '1', key: 'k1', secret: 's1', enabled: false }] });
    await expectRefused('/app/k1?protocol=7', 4003);
  });

  it('refuses a connection over maxConnections with 4004 and accepts again after one leaves', async () => {
    const s = await setup({ apps: [{ id: '1', key: 'k1', secret: 's1', maxConnections: 1 }] });
    const { client } = await pool.connect('/app/k1?protocol=7');
    await expectRefused('/app/k1?protocol=7', 4004);
    const gone = new Promise<void>((resolve) => s.tether.on('disconnection', () => resolve()));
    client.close();
    await gone;
    await pool.connect('/app/k1?protocol=7');
  });

  it('refuses a bad path under the app prefix with 4005', async () => {
    await setup();
    await expectRefused('/app/app-key/extra?protocol=7', 4005);
    await expectRefused('/app?protocol=7', 4005);
  });

  it('refuses a malformed protocol version with 4006', async () => {
    await setup();
    await expectRefused('/app/app-key?protocol=seven', 4006);
  });

  it('refuses an unsupported protocol version with 4007', async () => {
    await setup();
    await expectRefused('/app/app-key?protocol=5', 4007);
  });

  it('refuses a missing protocol with 4008 by default', async () => {
    await setup();
    await expectRefused('/app/app-key', 4008);
  });

  it('accepts a missing protocol as version 7 when lenientProtocol is set', async () => {
    await setup({ lenientProtocol: true });
    const { socketId } = await pool.connect('/app/app-key');
    expect(socketId).toMatch(/^\d+\.\d+$/);
  });

  it('serves several apps from one process', async () => {
    await setup({
      apps: [
        { id: '1', key: 'k1', secret: 's1' },
        { id: '2', key: 'k2', secret: 's2' },
      ],
    });
    await pool.connect('/app/k1?protocol=7');
    await pool.connect('/app/k2?protocol=7');
    await expectRefused('/app/app-key?protocol=7', 4001);
  });

  it('honours pathPrefix', async () => {
    await setup({ pathPrefix: '/rt' });
    await pool.connect('/rt/app/app-key?protocol=7');
  });

  it('leaves upgrades on other paths to other handlers', async () => {
    const s = await setup();
    const other = new WebSocketServer({ noServer: true });
    s.http.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/other'))
        other.handleUpgrade(req, socket, head, (ws) => ws.send('hello from other'));
    });
    const socket = new WebSocket(s.wsUrl('/other'));
    const message = await new Promise<string>((resolve, reject) => {
      socket.once('message', (data) => resolve((data as Buffer).toString('utf8')));
      socket.once('error', reject);
    });
    expect(message).toBe('hello from other');
    socket.terminate();
    other.close();
  });

  it('emits connection and disconnection events with the transport name', async () => {
    const s = await setup();
    const connected = new Promise<{ socketId: string; transport: string }>((resolve) =>
      s.tether.on('connection', resolve),
    );
    const { client, socketId } = await pool.connect();
    expect(await connected).toMatchObject({ socketId, transport: 'websocket' });
    const disconnected = new Promise<{ socketId: string }>((resolve) =>
      s.tether.on('disconnection', resolve),
    );
    client.socket.close(1000);
    expect(await disconnected).toMatchObject({ socketId });
  });
});
