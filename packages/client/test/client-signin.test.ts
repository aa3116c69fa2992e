import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Tether, type ChannelEventContext, type SigninSuccessContext } from '@tether/client';
import { once, startClientTestServer, type ClientTestServer } from './support/client-test-server.js';

let server: ClientTestServer;
let tether: Tether;

beforeEach(async () => {
  server = await startClientTestServer();
  tether = new Tether('app-key', {
    host: '127.0.0.1',
    port: server.port,
    forceTLS: false,
    enabledTransports: ['websocket'],
    userAuthentication: { endpoint: server.userAuthUrl, params: { user_id: 'ann' } },
  });
});

afterEach(async () => {
  tether.disconnect();
  await server.close();
});

const signedIn = () => once<SigninSuccessContext>((l) => tether.user.bind('pusher:signin_success', l));

describe('signin against a real server', () => {
  it('signs in through the user-auth endpoint (socket_id form body) and receives server-to-user events', async () => {
    const success = signedIn();
    tether.signin();
    expect(await success).toEqual({
      event: 'pusher:signin_success',
      userId: 'ann',
      userData: { id: 'ann', name: 'ann' },
    });
    expect(server.authCalls).toEqual([
      {
        path: '/pusher/user-auth',
        contentType: 'application/x-www-form-urlencoded',
        body: `socket_id=${tether.connection.socketId}&user_id=ann`,
      },
    ]);
    const notice = once<ChannelEventContext>((l) => tether.user.bind('notice', l));
    await server.trigger('#server-to-user-ann', 'notice', { text: 'hi' });
    expect(await notice).toMatchObject({ event: 'notice', data: { text: 'hi' } });
  });

  it('signs in again after a reconnect', async () => {
    const first = signedIn();
    tether.signin();
    await first;
    tether.disconnect();
    expect(tether.user.id).toBeNull();
    const second = signedIn();
    tether.connect();
    expect((await second).userId).toBe('ann');
    expect(server.authCalls.filter((c) => c.path === '/pusher/user-auth')).toHaveLength(2);
    const notice = once<ChannelEventContext>((l) => tether.user.bind('notice', l));
    await server.trigger('#server-to-user-ann', 'notice', { n: 2 });
    expect((await notice).data).toEqual({ n: 2 });
  });
});
