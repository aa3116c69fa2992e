import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock, type TetherServerInput } from '@tether/server';
import { nextServerEvent, startServer, type TestServer } from './support/test-server.js';
import { ClientPool, presenceAuth, privateAuth } from './support/ws-test-client.js';

let server: TestServer | undefined;
let pool: ClientPool;

async function setup(options: TetherServerInput = {}): Promise<TestServer> {
  server = await startServer(options);
  pool = new ClientPool(server.wsUrl);
  return server;
}

afterEach(async () => {
  pool.closeAll();
  await server?.close();
  server = undefined;
});

async function privatePair(channel = 'private-chat') {
  const a = await pool.connect();
  const b = await pool.connect();
  await a.client.subscribe(channel, { auth: privateAuth('app-key', 'app-secret', a.socketId, channel) });
  await b.client.subscribe(channel, { auth: privateAuth('app-key', 'app-secret', b.socketId, channel) });
  return { a, b };
}

describe('client events', () => {
  it('reach other subscribers of a private channel, never the sender, and are reported', async () => {
    const s = await setup();
    const { a, b } = await privatePair();
    const reported = nextServerEvent(s.tether, 'client_event');
    a.client.send({ event: 'client-typing', channel: 'private-chat', data: { who: 'a' } });
    const got = await b.client.nextEvent('client-typing');
    expect(got).toMatchObject({ channel: 'private-chat', parsed: { who: 'a' } });
    expect(got.user_id).toBeUndefined();
    await a.client.sync();
    expect(a.client.all((m) => m.event === 'client-typing')).toHaveLength(0);
    expect(await reported).toMatchObject({
      channel: 'private-chat',
      event: 'client-typing',
      socketId: a.socketId,
      data: { who: 'a' },
    });
  });

  it('carry the sender user_id on presence channels', async () => {
    await setup();
    const channel = 'presence-chat';
    const members = await Promise.all(
      ['alice', 'bob'].map(async (user) => {
        const c = await pool.connect();
        const channelData = JSON.stringify({ user_id: user });
        await c.client.subscribe(channel, {
          auth: presenceAuth('app-key', 'app-secret', c.socketId, channel, channelData),
          channel_data: channelData,
        });
        return c;
      }),
    );
    members[0]!.client.send({ event: 'client-wave', channel, data: {} });
    expect((await members[1]!.client.nextEvent('client-wave')).user_id).toBe('alice');
  });

  it('are rejected on public channels, unsubscribed channels and when disabled for the app, without closing', async () => {
    await setup();
    const { a, b } = await privatePair();
    await a.client.subscribe('public-room');
    a.client.send({ event: 'client-x', channel: 'public-room', data: {} });
    expect((await a.client.nextEvent('pusher:error')).parsed).toMatchObject({
      code: null,
      message: expect.stringContaining('private and presence'),
    });
    a.client.send({ event: 'client-x', channel: 'private-elsewhere', data: {} });
    expect((await a.client.nextEvent('pusher:error')).parsed).toMatchObject({
      message: expect.stringContaining('Subscribe'),
    });
    await b.client.sync();
    expect(b.client.all((m) => m.event === 'client-x')).toHaveLength(0);
  });

  it('are rejected when the app disables them', async () => {
    await setup({ apps: [{ id: 'app-id', key: 'app-key', secret: 'app-secret', clientEvents: false }] });
    const { a, b } = await privatePair();
    a.client.send({ event: 'client-x', channel: 'private-chat', data: {} });
    expect((await a.client.nextEvent('pusher:error')).parsed).toMatchObject({
      message: expect.stringContaining('disabled'),
    });
    await b.client.sync();
    expect(b.client.all((m) => m.event === 'client-x')).toHaveLength(0);
  });

  it('are rejected over maxEventPayloadBytes', async () => {
    await setup({
      apps: [{ id: 'app-id', key: 'app-key', secret: 'app-secret', maxEventPayloadBytes: 100 }],
    });
    const { a, b } = await privatePair();
    a.client.send({ event: 'client-big', channel: 'private-chat', data: { pad: 'x'.repeat(200) } });
    expect((await a.client.nextEvent('pusher:error')).parsed).toMatchObject({
      message: expect.stringContaining('larger than 100'),
    });
    await b.client.sync();
    expect(b.client.all((m) => m.event === 'client-big')).toHaveLength(0);
  });

  it('over the rate limit get pusher:error 4301 and the connection stays open', async () => {
    // Frozen time: the bucket holds exactly 10 tokens and never refills during the test.
    const frozen: Clock = { ...systemClock, now: () => 1_000_000 };
    await setup({ clock: frozen });
    const { a, b } = await privatePair();
    for (let i = 0; i < 15; i += 1)
      a.client.send({ event: 'client-n', channel: 'private-chat', data: { i } });
    await a.client.sync();
    await b.client.sync();
    expect(b.client.all((m) => m.event === 'client-n')).toHaveLength(10);
    const errors = a.client.all((m) => m.event === 'pusher:error');
    expect(errors).toHaveLength(5);
    expect(errors[0]?.parsed).toMatchObject({ code: 4301 });
    a.client.send({ event: 'pusher:ping', data: {} });
    await a.client.nextEvent('pusher:pong');
  });
});
