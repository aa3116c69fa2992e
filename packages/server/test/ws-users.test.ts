import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/test-server.js';
import { ClientPool, userAuth, type WsTestClient } from './support/ws-test-client.js';

let server: TestServer;
let pool: ClientPool;

beforeEach(async () => {
  server = await startServer();
  pool = new ClientPool(server.wsUrl);
});

afterEach(async () => {
  pool.closeAll();
  await server.close();
});

const app = () => server.tether.apps.findByKey('app-key')!;

async function signedIn(userId: string): Promise<{ client: WsTestClient; socketId: string }> {
  const { client, socketId } = await pool.connect();
  const userData = JSON.stringify({ id: userId, name: userId });
  client.send({
    event: 'pusher:signin',
    data: { auth: userAuth('app-key', 'app-secret', socketId, userData), user_data: userData },
  });
  const success = await client.nextEvent('pusher:signin_success');
  expect(success.parsed).toEqual({ user_data: userData });
  return { client, socketId };
}

describe('user sign-in', () => {
  it('a valid signin gets signin_success and the #server-to-user channel can be acknowledged', async () => {
    const { client } = await signedIn('alice');
    const reply = await client.subscribe('#server-to-user-alice');
    expect(reply.event).toBe('pusher_internal:subscription_succeeded');
    const foreign = await client.subscribe('#server-to-user-bob');
    expect(foreign.event).toBe('pusher:subscription_error');
  });

  it('a bad signin signature gets pusher:error 4009 and close 4009', async () => {
    const { client, socketId } = await pool.connect();
    const userData = JSON.stringify({ id: 'alice' });
    client.send({
      event: 'pusher:signin',
      data: { auth: userAuth('app-key', 'wrong', socketId, userData), user_data: userData },
    });
    expect((await client.nextEvent('pusher:error')).parsed).toMatchObject({ code: 4009 });
    expect((await client.closed).code).toBe(4009);
  });

  it('events to #server-to-user-{id} reach every connection signed in as that user, and only them', async () => {
    const tab1 = await signedIn('alice');
    const tab2 = await signedIn('alice');
    const bob = await signedIn('bob');
    await server.tether.trigger(app(), [
      { channel: '#server-to-user-alice', name: 'notice', data: '{"hi":1}' },
    ]);
    expect((await tab1.client.nextEvent('notice')).parsed).toEqual({ hi: 1 });
    expect((await tab2.client.nextEvent('notice')).channel).toBe('#server-to-user-alice');
    await bob.client.sync();
    expect(bob.client.all((m) => m.event === 'notice')).toHaveLength(0);
  });

  it('terminateUserConnections closes only that user signed-in connections with 4009', async () => {
    const tab1 = await signedIn('alice');
    const tab2 = await signedIn('alice');
    const bob = await signedIn('bob');
    const anonymous = await pool.connect();
    await server.tether.terminateUserConnections(app(), 'alice');
    for (const tab of [tab1, tab2]) {
      expect((await tab.client.nextEvent('pusher:error')).parsed).toMatchObject({ code: 4009 });
      expect((await tab.client.closed).code).toBe(4009);
    }
    await bob.client.sync();
    await anonymous.client.sync();
    expect(bob.client.all((m) => m.event === 'pusher:error')).toHaveLength(0);
  });
});
