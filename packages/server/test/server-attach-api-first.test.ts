import { request as httpRequest } from 'node:http';
import Pusher from 'pusher';
import { decodeLongPollBatch, httpRoutePath } from '@tether/protocol';
import { defaultAppCredentials } from '@tether/server';
import { describe, expect, it } from 'vitest';
import { apiLimitsDefaults } from '../src/api/api-limits.js';
import { sdkFailure } from './support/api-test-server.js';
import { defaultAppSdk } from './support/test-server.js';
import { attachedAppPerTest } from './support/attached-app.js';

const EVENTS_PATH = `/apps/${defaultAppCredentials.id}/events`;

/** An express app whose own middleware notes every request it sees, then passes it on to Tether's router. */
const start = attachedAppPerTest((seen) => (req, _res, next) => {
  seen.push(`${req.method} ${req.path}`);
  next();
});

/** The official SDK for the default app with one setting changed. */
const sdkWith = (port: number, change: { appId?: string; secret?: string }): Pusher =>
  new Pusher({
    appId: change.appId ?? defaultAppCredentials.id,
    key: defaultAppCredentials.key,
    secret: change.secret ?? defaultAppCredentials.secret,
    host: '127.0.0.1',
    port: String(port),
    useTLS: false,
  });

/** POSTs headers declaring a body over the API's limit, and resolves with the answer (sent before any body). */
function postDeclaringTooLarge(port: number): Promise<{ status: number; connection: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: EVENTS_PATH,
      headers: { 'content-type': 'application/json', 'content-length': apiLimitsDefaults.maxBodyBytes + 1 },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, connection: String(res.headers.connection), body });
        req.destroy();
      });
    });
    req.flushHeaders();
  });
}

describe('attach(server, { apiFirst })', () => {
  it('delivers SDK trigger and triggerBatch to a subscriber without the app seeing them', async () => {
    const { port, pool, seenByApp } = await start({ apiFirst: true });
    const { client } = await pool.connect();
    await client.subscribe('news');
    const sdk = defaultAppSdk(port);

    const single = await sdk.trigger('news', 'headline', { a: 1 });
    expect(single.status).toBe(200);
    expect(await single.text()).toBe('{}');
    expect((await client.nextEvent('headline', 'news')).parsed).toEqual({ a: 1 });

    const batch = await sdk.triggerBatch([
      { channel: 'news', name: 'first', data: { n: 1 } },
      { channel: 'news', name: 'second', data: { n: 2 } },
    ]);
    expect(batch.status).toBe(200);
    expect((await client.nextEvent('first', 'news')).parsed).toEqual({ n: 1 });
    expect((await client.nextEvent('second', 'news')).parsed).toEqual({ n: 2 });
    expect(seenByApp).toEqual([]);
  });

  it('refuses a bad signature, an unknown app and a body over the limit with the JSON error, without the app', async () => {
    const { port, seenByApp } = await start({ apiFirst: true });

    expect(await sdkFailure(sdkWith(port, { secret: 'wrong' }).trigger('news', 'ev', {}))).toEqual({
      status: 401,
      body: { error: 'auth_signature: auth_signature does not match', code: 401 },
    });
    expect(await sdkFailure(sdkWith(port, { appId: 'nope' }).trigger('news', 'ev', {}))).toEqual({
      status: 404,
      body: { error: 'unknown app id', code: 404 },
    });
    expect(await postDeclaringTooLarge(port)).toEqual({
      status: 413,
      connection: 'close',
      body: JSON.stringify({
        error: `request body is larger than ${apiLimitsDefaults.maxBodyBytes} bytes`,
        code: 413,
      }),
    });
    expect(seenByApp).toEqual([]);
  });

  it('leaves the other API endpoints to the app', async () => {
    const { port, seenByApp } = await start({ apiFirst: true });
    const sdk = defaultAppSdk(port);
    await sdk.trigger('news', 'ev', {});
    const channels = await sdk.get({ path: '/channels' });
    expect(channels.status).toBe(200);
    expect(await channels.json()).toEqual({ channels: {} });
    expect(seenByApp).toEqual([`GET /apps/${defaultAppCredentials.id}/channels`]);
  });

  it('combines with fallbacksFirst in one request listener', async () => {
    const { http, port, seenByApp, url } = await start({ apiFirst: true, fallbacksFirst: true });
    expect(http.listenerCount('request')).toBe(1);
    const opened = await fetch(
      url(`${httpRoutePath.longPollOpen(defaultAppCredentials.key)}?protocol=7&client=test&version=1`),
    );
    const frames = decodeLongPollBatch(await opened.text());
    expect(frames.ok && frames.value.frames[0]).toContain('pusher:connection_established');
    expect((await defaultAppSdk(port).trigger('news', 'ev', {})).status).toBe(200);
    expect((await fetch(url('/health'))).status).toBe(404);
    expect(seenByApp).toEqual(['GET /health']);
  });

  it('gives the server its own request listeners back when Tether closes', async () => {
    const { tether, http, app, seenByApp, url } = await start({ apiFirst: true });
    expect((await fetch(url(EVENTS_PATH), { method: 'POST', body: '{}' })).status).toBe(401);
    expect(seenByApp).toEqual([]);

    await tether.close({ drainMs: 100 });
    expect(http.listeners('request')).toEqual([app]);
    const afterClose = await fetch(url(EVENTS_PATH), { method: 'POST', body: '{}' });
    expect(afterClose.headers.get('x-powered-by')).toBe('Express');
    expect(seenByApp).toEqual([`POST ${EVENTS_PATH}`]);
  });

  it('attached twice, gives back the original listeners on close (undone last first)', async () => {
    const { tether, http, app } = await start({ fallbacksFirst: true });
    tether.attach(http, { apiFirst: true });
    expect(http.listenerCount('request')).toBe(1);
    await tether.close({ drainMs: 100 });
    expect(http.listeners('request')).toEqual([app]);
  });
});
