import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/test-server.js';
import { ClientPool, type WsTestClient } from './support/ws-test-client.js';

let server: TestServer;
let pool: ClientPool;

beforeEach(async () => {
  server = await startServer({ maxFrameBytes: 4096 });
  pool = new ClientPool(server.wsUrl);
});

afterEach(async () => {
  pool.closeAll();
  await server.close();
});

const app = () => server.tether.apps.findByKey('app-key')!;

/** A client subscribed to `news`, so each test can prove the subscription survives the bad input. */
async function subscribedClient(): Promise<WsTestClient> {
  const { client } = await pool.connect();
  await client.subscribe('news');
  return client;
}

async function expectStillDelivered(client: WsTestClient): Promise<void> {
  await server.tether.trigger(app(), [{ channel: 'news', name: 'headline', data: '{"n":1}' }]);
  const event = await client.nextEvent('headline', 'news');
  expect(event.parsed).toEqual({ n: 1 });
}

async function expectErrorKeepsConnection(input: string | object, messagePart: string): Promise<void> {
  const client = await subscribedClient();
  client.send(input);
  const error = await client.nextEvent('pusher:error');
  expect((error.parsed as { code: unknown; message: string }).code).toBeNull();
  expect((error.parsed as { message: string }).message).toContain(messagePart);
  await expectStillDelivered(client);
}

describe('bad client input', () => {
  it('invalid JSON gets pusher:error and the connection keeps its subscriptions', async () => {
    await expectErrorKeepsConnection('{"event":', 'not valid JSON');
  });

  it('a non-object frame gets pusher:error', async () => {
    await expectErrorKeepsConnection('[1,2,3]', 'JSON object');
  });

  it('a frame without a string event gets pusher:error', async () => {
    await expectErrorKeepsConnection({ event: 42, data: {} }, 'event');
  });

  it('subscribe with the wrong data types gets pusher:error', async () => {
    await expectErrorKeepsConnection({ event: 'pusher:subscribe', data: { channel: 7 } }, 'data.channel');
  });

  it('an unknown pusher: event gets pusher:error', async () => {
    await expectErrorKeepsConnection({ event: 'pusher:launch_missiles', data: {} }, 'Unknown');
  });

  it('a server-only event from a client gets pusher:error', async () => {
    await expectErrorKeepsConnection({ event: 'pusher:connection_established', data: {} }, 'servers only');
  });

  it('an app event name that is not client-* gets pusher:error', async () => {
    await expectErrorKeepsConnection({ event: 'my-event', channel: 'news', data: {} }, 'Unknown');
  });

  it('prototype-pollution keys are refused and Object.prototype stays clean', async () => {
    await expectErrorKeepsConnection(
      '{"event":"pusher:subscribe","data":{"channel":"x","__proto__":{"polluted":true}}}',
      '__proto__',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an invalid channel name gets a channel-scoped subscription_error and nothing else changes', async () => {
    const client = await subscribedClient();
    const reply = await client.subscribe('bad channel!');
    expect(reply.event).toBe('pusher:subscription_error');
    expect(reply.parsed).toMatchObject({ type: 'InvalidChannel', status: 400 });
    await expectStillDelivered(client);
  });

  it('a binary frame closes the connection with 1003', async () => {
    const { client } = await pool.connect();
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await client.closed).code).toBe(1003);
  });

  it('an oversize frame closes the connection with 1009 and other clients are unaffected', async () => {
    const other = await subscribedClient();
    const { client } = await pool.connect();
    client.send({ event: 'pusher:ping', data: { pad: 'x'.repeat(8000) } });
    expect((await client.closed).code).toBe(1009);
    await expectStillDelivered(other);
  });

  it('pusher:ping is answered with pusher:pong, with data as object or string', async () => {
    const { client } = await pool.connect();
    client.send({ event: 'pusher:ping', data: {} });
    await client.nextEvent('pusher:pong');
    client.send({ event: 'pusher:ping', data: '{}' });
    await client.nextEvent('pusher:pong');
  });

  it('a client that unsubscribes stops receiving and one that never subscribed gets nothing', async () => {
    const client = await subscribedClient();
    const { client: bystander } = await pool.connect();
    client.send({ event: 'pusher:unsubscribe', data: { channel: 'news' } });
    await client.sync();
    await server.tether.trigger(app(), [{ channel: 'news', name: 'headline', data: '{}' }]);
    await client.sync();
    await bystander.sync();
    expect(client.all((m) => m.event === 'headline')).toHaveLength(0);
    expect(bystander.all((m) => m.event === 'headline')).toHaveLength(0);
  });
});
