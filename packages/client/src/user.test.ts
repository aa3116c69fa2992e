import { describe, expect, it, vi } from 'vitest';
import { FakeConnection } from '../test/support/fake-connection.js';
import { fakeFetch, settle, type FakeReply } from '../test/support/fake-fetch.js';
import { fakePlatform } from '../test/support/fake-platform.js';
import { Tether } from './client.js';

const userData = JSON.stringify({ id: 'u1', name: 'Ann', watchlist: ['u2'] });

function setup(
  reply: () => FakeReply = () => ({
    status: 200,
    body: JSON.stringify({ auth: 'k:sig', user_data: userData }),
  }),
) {
  const connection = new FakeConnection();
  const http = fakeFetch(reply);
  const tether = new Tether('k', {
    connection,
    platform: fakePlatform(http.fetch),
    userAuthentication: { endpoint: 'http://app.test/user-auth', headers: { 'X-T': '1' } },
  });
  return { tether, connection, http };
}

describe('signin and the user', () => {
  it('authenticates with socket_id, sends pusher:signin, then subscribes to #server-to-user-{id}', async () => {
    const { tether, connection, http } = setup();
    connection.open('1.1');
    tether.signin();
    await settle();
    expect(http.requests).toEqual([
      {
        url: 'http://app.test/user-auth',
        method: 'POST',
        headers: { 'X-T': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'socket_id=1.1',
      },
    ]);
    expect(connection.sentOf('pusher:signin')).toEqual([
      { event: 'pusher:signin', data: { auth: 'k:sig', user_data: userData } },
    ]);
    const onUser = vi.fn();
    const onClient = vi.fn();
    tether.user.bind('pusher:signin_success', onUser);
    tether.bind('pusher:signin_success', onClient);
    connection.receive({ event: 'pusher:signin_success', data: JSON.stringify({ user_data: userData }) });
    const context = {
      event: 'pusher:signin_success',
      userId: 'u1',
      userData: { id: 'u1', name: 'Ann', watchlist: ['u2'] },
    };
    expect(onUser).toHaveBeenCalledWith(context);
    expect(onClient).toHaveBeenCalledWith(context);
    expect(tether.user.id).toBe('u1');
    expect(connection.sentOf('pusher:subscribe')).toEqual([
      { event: 'pusher:subscribe', data: { channel: '#server-to-user-u1', auth: '' } },
    ]);
  });

  it('delivers server-to-user events to user.bind only, and watchlist events to user.watchlist', async () => {
    const { tether, connection } = setup();
    connection.open('1.1');
    tether.signin();
    await settle();
    connection.receive({ event: 'pusher:signin_success', data: JSON.stringify({ user_data: userData }) });
    const onUser = vi.fn();
    const onClient = vi.fn();
    tether.user.bind('notice', onUser);
    tether.bind('notice', onClient);
    connection.receive({ event: 'pusher_internal:subscription_succeeded', channel: '#server-to-user-u1' });
    connection.receive({ event: 'notice', channel: '#server-to-user-u1', data: '{"text":"hi"}' });
    connection.receive({ event: 'notice', channel: '#server-to-user-someone-else', data: '{}' });
    expect(onUser.mock.calls).toEqual([
      [{ event: 'notice', channel: '#server-to-user-u1', data: { text: 'hi' }, userId: null }],
    ]);
    expect(onClient).toHaveBeenCalledTimes(1);
    expect(onClient).toHaveBeenCalledWith(
      expect.objectContaining({ channel: '#server-to-user-someone-else' }),
    );

    const online = vi.fn();
    const offline = vi.fn();
    tether.user.watchlist.bind('online', online);
    tether.user.watchlist.bind('offline', offline);
    connection.receive({
      event: 'pusher_internal:watchlist_events',
      data: JSON.stringify({
        events: [
          { name: 'online', user_ids: ['u2'] },
          { name: 'offline', user_ids: ['u3'] },
        ],
      }),
    });
    expect(online).toHaveBeenCalledWith({ event: 'online', userIds: ['u2'] });
    expect(offline).toHaveBeenCalledWith({ event: 'offline', userIds: ['u3'] });
  });

  it('waits for the connection when called early, and signs in again after every reconnect', async () => {
    const { tether, connection, http } = setup();
    tether.signin();
    await settle();
    expect(http.requests).toEqual([]);
    connection.open('1.1');
    await settle();
    connection.receive({ event: 'pusher:signin_success', data: JSON.stringify({ user_data: userData }) });
    connection.drop();
    expect(tether.user.id).toBeNull();
    connection.clearSent();
    connection.open('2.2');
    await settle();
    expect(http.requests.map((r) => r.body)).toEqual(['socket_id=1.1', 'socket_id=2.2']);
    expect(connection.sentOf('pusher:signin')).toHaveLength(1);
  });

  it('reports a failing user-auth endpoint as pusher:signin_error and a signin_failed error', async () => {
    const { tether, connection } = setup(() => ({ status: 403, body: 'no' }));
    const onSigninError = vi.fn();
    const onError = vi.fn();
    tether.user.bind('pusher:signin_error', onSigninError);
    tether.bind('error', onError);
    connection.open('1.1');
    tether.signin();
    await settle();
    expect(onSigninError).toHaveBeenCalledWith({
      event: 'pusher:signin_error',
      type: 'AuthError',
      status: 403,
      error: expect.any(String),
    });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'signin_failed' }));
    expect(connection.sentOf('pusher:signin')).toEqual([]);
  });

  it('rejects a signin_success whose user_data has no string id', async () => {
    const { tether, connection } = setup();
    const onSigninError = vi.fn();
    tether.user.bind('pusher:signin_error', onSigninError);
    connection.open('1.1');
    tether.signin();
    await settle();
    connection.receive({ event: 'pusher:signin_success', data: JSON.stringify({ user_data: '{"id":5}' }) });
    expect(onSigninError).toHaveBeenCalledTimes(1);
    expect(tether.user.id).toBeNull();
  });
});
