import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import {
  nextEvent,
  nextMessage,
  PUSHER_JS_TRANSPORTS,
  PusherJsClients,
  recordEvents,
  recordStates,
  waitForState,
  type PusherJsTransport,
} from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

type Pusher = ReturnType<PusherJsClients['create']>;

/** A stock pusher-js client over `transport`, connected and signed in as `userId` through the SDK's authenticateUser. */
async function signedIn(s: CompatServer, transport: PusherJsTransport, userId: string): Promise<Pusher> {
  const pusher = clients.create({ port: s.port, transport, params: { user_id: userId } });
  await waitForState(pusher, 'connected');
  const success = nextMessage(pusher, (m) => m.event === 'pusher:signin_success');
  const userChannel = nextMessage(
    pusher,
    (m) => m.event === 'pusher_internal:subscription_succeeded' && m.channel === `#server-to-user-${userId}`,
  );
  pusher.signin();
  const data = (await success).data as { user_data: string };
  expect(JSON.parse(data.user_data)).toMatchObject({ id: userId });
  await userChannel;
  return pusher;
}

describe.each(PUSHER_JS_TRANSPORTS)('stock pusher-js over %s: users', (transport) => {
  it('item 17: signin through the SDK authenticateUser, then sendToUser reaches every connection of that user only', async () => {
    const s = (server = await startCompatServer());
    const alice1 = await signedIn(s, transport, 'alice');
    const alice2 = await signedIn(s, transport, 'alice');
    const bob = await signedIn(s, transport, 'bob');
    expect(s.authCalls.filter((c) => c.path === '/pusher/user-auth')).toHaveLength(3);
    const bobGot = recordEvents(bob.user, 'notice');
    const got1 = nextEvent(alice1.user, 'notice');
    const got2 = nextEvent(alice2.user, 'notice');
    await s.sdk.sendToUser('alice', 'notice', { text: 'for alice' });
    expect((await got1).data).toEqual({ text: 'for alice' });
    expect((await got2).data).toEqual({ text: 'for alice' });
    const bobOwn = nextEvent(bob.user, 'notice');
    await s.sdk.sendToUser('bob', 'notice', { text: 'for bob' });
    await bobOwn;
    expect(bobGot).toEqual([{ text: 'for bob' }]);
  });

  it('item 18: terminateUserConnections closes only that user signed-in connections with 4009 and they stay disconnected', async () => {
    const s = (server = await startCompatServer());
    const alice = await signedIn(s, transport, 'alice');
    const bob = await signedIn(s, transport, 'bob');
    const states = recordStates(alice);
    const error = nextEvent<{ type: string; data: { code: number } }>(alice.connection, 'error');
    const response = await s.sdk.terminateUserConnections('alice');
    expect(response.status).toBe(200);
    await waitForState(alice, 'disconnected');
    expect((await error).data).toMatchObject({ type: 'PusherError', data: { code: 4009 } });
    const opened = s.connections.length;
    // Bob still works, and by the time his event arrives alice has not tried to come back.
    const bobGot = nextEvent(bob.user, 'still-here');
    await s.sdk.sendToUser('bob', 'still-here', {});
    await bobGot;
    expect(bob.connection.state).toBe('connected');
    expect(s.connections.length).toBe(opened);
    expect(states.map((change) => change.state)).toEqual(['disconnected']);
  });
});
