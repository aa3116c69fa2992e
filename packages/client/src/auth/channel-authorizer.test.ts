import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../test/support/fake-fetch.js';
import { resolveApiOptions } from '../client-options.js';
import { createChannelAuthorizer } from './channel-authorizer.js';
import { createUserAuthenticator } from './user-authenticator.js';

const ok = (body: unknown) => ({ status: 200, body: JSON.stringify(body) });

describe('createChannelAuthorizer', () => {
  it('POSTs the form body pusher-js sends: socket_id, channel_name, then params, percent-encoded', async () => {
    const http = fakeFetch(() => ok({ auth: 'key:sig' }));
    const options = resolveApiOptions({
      channelAuthorization: {
        endpoint: 'http://app.test/pusher/auth',
        headers: { 'X-CSRF-Token': 't1' },
        params: { room: 'a b&c', n: '1' },
        headersProvider: () => ({ Authorization: 'Bearer x' }),
        paramsProvider: () => ({ extra: 'é' }),
      },
    }).channelAuthorization;
    const outcome = await createChannelAuthorizer(
      options,
      http.fetch,
    )({ socketId: '123.456', channelName: 'private-a=b' });
    expect(outcome).toEqual({ ok: true, data: { auth: 'key:sig' } });
    expect(http.requests).toHaveLength(1);
    const [request] = http.requests;
    expect(request?.url).toBe('http://app.test/pusher/auth');
    expect(request?.method).toBe('POST');
    expect(request?.headers).toEqual({
      'X-CSRF-Token': 't1',
      Authorization: 'Bearer x',
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(request?.body).toBe(
      'socket_id=123.456&channel_name=private-a%3Db&room=a%20b%26c&n=1&extra=%C3%A9',
    );
  });

  it('uses pusher-js defaults and legacy names: authEndpoint, auth.params, /pusher/auth', async () => {
    const http = fakeFetch(() => ok({ auth: 'k:s', channel_data: '{"user_id":"1"}' }));
    const legacy = resolveApiOptions({
      authEndpoint: '/auth',
      auth: { params: { a: '1' }, headers: { h: 'v' } },
    });
    await createChannelAuthorizer(
      legacy.channelAuthorization,
      http.fetch,
    )({ socketId: '1.2', channelName: 'presence-x' });
    expect(http.requests[0]).toMatchObject({
      url: '/auth',
      headers: { h: 'v' },
      body: 'socket_id=1.2&channel_name=presence-x&a=1',
    });
    const defaults = resolveApiOptions({});
    await createChannelAuthorizer(
      defaults.channelAuthorization,
      http.fetch,
    )({ socketId: '1.2', channelName: 'private-y' });
    expect(http.requests[1]?.url).toBe('/pusher/auth');
  });

  it.each([
    ['a 403', { status: 403, body: 'Forbidden' }, 403, /answered 403: Forbidden/],
    ['invalid JSON', { status: 200, body: '<html>' }, 200, /JSON returned .* was invalid/],
    ['JSON without auth', { status: 200, body: '{"foo":1}' }, 200, /no "auth" string/],
    [
      'a non-string channel_data',
      { status: 200, body: '{"auth":"k:s","channel_data":{}}' },
      200,
      /channel_data/,
    ],
    ['a network failure', new Error('ECONNREFUSED'), 0, /failed: ECONNREFUSED/],
  ])('reports %s as a failure with its status', async (_name, reply, status, error) => {
    const http = fakeFetch(() => reply);
    const outcome = await createChannelAuthorizer(
      resolveApiOptions({}).channelAuthorization,
      http.fetch,
    )({
      socketId: '1.2',
      channelName: 'private-a',
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.status).toBe(status);
    expect(outcome.error).toMatch(error);
  });

  it('calls a pusher-js style custom handler (callback) instead of fetch', async () => {
    const http = fakeFetch(() => ok({ auth: 'never' }));
    const seen: unknown[] = [];
    const options = resolveApiOptions({
      channelAuthorization: {
        customHandler: (request, callback) => {
          seen.push(request);
          callback(null, { auth: 'custom:sig' });
        },
      },
    }).channelAuthorization;
    const outcome = await createChannelAuthorizer(
      options,
      http.fetch,
    )({ socketId: '9.9', channelName: 'private-c' });
    expect(outcome).toEqual({ ok: true, data: { auth: 'custom:sig' } });
    expect(seen).toEqual([{ socketId: '9.9', channelName: 'private-c' }]);
    expect(http.requests).toHaveLength(0);
  });

  it('accepts a promise from a custom handler, and turns a rejection or callback error into a failure', async () => {
    const fetch = fakeFetch(() => ok({})).fetch;
    const viaPromise = resolveApiOptions({
      channelAuthorization: { customHandler: () => Promise.resolve({ auth: 'p:s' }) },
    });
    expect(
      await createChannelAuthorizer(
        viaPromise.channelAuthorization,
        fetch,
      )({ socketId: '1.1', channelName: 'private-a' }),
    ).toEqual({
      ok: true,
      data: { auth: 'p:s' },
    });
    const rejecting = resolveApiOptions({
      channelAuthorization: { customHandler: () => Promise.reject(new Error('nope')) },
    });
    const rejected = await createChannelAuthorizer(
      rejecting.channelAuthorization,
      fetch,
    )({ socketId: '1.1', channelName: 'private-a' });
    expect(rejected).toMatchObject({ ok: false, status: 0, error: expect.stringMatching(/nope/) });
    const callbackError = resolveApiOptions({
      channelAuthorization: { customHandler: (_r, callback) => callback(new Error('denied'), null) },
    });
    const denied = await createChannelAuthorizer(
      callbackError.channelAuthorization,
      fetch,
    )({ socketId: '1.1', channelName: 'private-a' });
    expect(denied).toMatchObject({ ok: false, error: expect.stringMatching(/denied/) });
    const throwing = resolveApiOptions({
      channelAuthorization: {
        customHandler: () => {
          throw new Error('thrown');
        },
      },
    });
    const thrown = await createChannelAuthorizer(
      throwing.channelAuthorization,
      fetch,
    )({ socketId: '1.1', channelName: 'private-a' });
    expect(thrown).toMatchObject({ ok: false, error: expect.stringMatching(/thrown/) });
  });
});

describe('createUserAuthenticator', () => {
  it('POSTs socket_id (then params) to /pusher/user-auth and checks { auth, user_data }', async () => {
    const http = fakeFetch(() => ok({ auth: 'k:s', user_data: '{"id":"u1"}' }));
    const options = resolveApiOptions({ userAuthentication: { params: { t: '1' } } }).userAuthentication;
    const outcome = await createUserAuthenticator(options, http.fetch)({ socketId: '5.6' });
    expect(outcome).toEqual({ ok: true, data: { auth: 'k:s', user_data: '{"id":"u1"}' } });
    expect(http.requests[0]).toMatchObject({
      url: '/pusher/user-auth',
      method: 'POST',
      body: 'socket_id=5.6&t=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const missing = fakeFetch(() => ok({ auth: 'k:s' }));
    const bad = await createUserAuthenticator(options, missing.fetch)({ socketId: '5.6' });
    expect(bad).toMatchObject({ ok: false, status: 200, error: expect.stringMatching(/user_data/) });
  });
});
