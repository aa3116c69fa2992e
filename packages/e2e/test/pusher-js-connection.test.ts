import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import {
  nextEvent,
  nextMessage,
  PusherJsClients,
  recordStates,
  waitForState,
} from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

/** The close code and first frame a raw WebSocket gets for `path`. */
async function rawRefusal(
  port: number,
  path: string,
): Promise<{ code: number; first: { event: string; data: string } }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  socket.on('error', () => undefined);
  let first: { event: string; data: string } | undefined;
  socket.once(
    'message',
    (data) => (first = JSON.parse((data as Buffer).toString('utf8')) as { event: string; data: string }),
  );
  const code = await new Promise<number>((resolve) => socket.once('close', resolve));
  return { code, first: first! };
}

describe('pusher-js compatibility: connection', () => {
  it('item 1: reaches connected and connection.socket_id matches /^\\d+\\.\\d+$/', async () => {
    server = await startCompatServer();
    const pusher = clients.create({ port: server.port });
    await waitForState(pusher, 'connected');
    expect(pusher.connection.socket_id).toMatch(/^\d+\.\d+$/);
  });

  it('item 3: connection_established carries a positive activity_timeout; activityTimeout = min(120000, activity_timeout*1000)', async () => {
    server = await startCompatServer({ activityTimeoutSeconds: 30 });
    const short = clients.create({ port: server.port });
    await waitForState(short, 'connected');
    expect((short.connection as unknown as { activityTimeout: number }).activityTimeout).toBe(30_000);
    await server.close();

    server = await startCompatServer({ activityTimeoutSeconds: 500 });
    const long = clients.create({ port: server.port });
    await waitForState(long, 'connected');
    expect((long.connection as unknown as { activityTimeout: number }).activityTimeout).toBe(120_000);

    // The wire shape pusher-js parsed: the first frame, data double-encoded.
    const socket = new WebSocket(
      `ws://127.0.0.1:${server.port}/app/app-key?protocol=7&client=js&version=8.6.0&flash=false`,
    );
    const first = await new Promise<{ event: string; data: unknown }>((resolve) =>
      socket.once('message', (data) =>
        resolve(JSON.parse((data as Buffer).toString('utf8')) as { event: string; data: unknown }),
      ),
    );
    socket.terminate();
    expect(first.event).toBe('pusher:connection_established');
    expect(typeof first.data).toBe('string');
    expect(JSON.parse(first.data as string)).toMatchObject({
      activity_timeout: 500,
      socket_id: expect.stringMatching(/^\d+\.\d+$/),
    });
  });

  it('item 4: a client pusher:ping gets pusher:pong within 1 s', async () => {
    server = await startCompatServer();
    const pusher = clients.create({ port: server.port });
    await waitForState(pusher, 'connected');
    const pong = nextMessage(pusher, (m) => m.event === 'pusher:pong', 1000);
    pusher.send_event('pusher:ping', {});
    await pong;
  });

  it('item 9: unknown key → pusher:error 4001 + close 4001; unsupported protocol → 4007; missing protocol → 4008', async () => {
    server = await startCompatServer();
    const pusher = clients.create({ port: server.port, key: 'no-such-key' });
    const states = recordStates(pusher);
    // During the handshake pusher-js wraps the refusal: {type:'WebSocketError', error:{type:'PusherError', data:{code}}}.
    const error = await nextEvent<{ error: { type: string; data: { code: number } } }>(
      pusher.connection,
      'error',
    );
    expect(error.data.error).toMatchObject({ type: 'PusherError', data: { code: 4001 } });
    await waitForState(pusher, 'disconnected');
    expect(states.map((s) => s.state)).not.toContain('connected');

    const unsupported = await rawRefusal(server.port, '/app/app-key?protocol=5');
    expect(unsupported.code).toBe(4007);
    expect(unsupported.first.event).toBe('pusher:error');
    const missing = await rawRefusal(server.port, '/app/app-key?client=js');
    expect(missing.code).toBe(4008);
    expect(JSON.parse(missing.first.data)).toMatchObject({ code: 4008 });
  });

  it('item 11: a public subscribe fires pusher:subscription_succeeded', async () => {
    server = await startCompatServer();
    const pusher = clients.create({ port: server.port });
    const channel = pusher.subscribe('public-news');
    await nextEvent(channel, 'pusher:subscription_succeeded');
    expect(channel.subscribed).toBe(true);
  });
});
