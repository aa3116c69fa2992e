import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiRouter } from '../src/api/api-router.js';
import { systemClock } from '../src/clock.js';
import { FakeApiBackend } from './support/api-fake-backend.js';
import {
  answerCrafted,
  startApiTestServer,
  testApp,
  type ApiTestServer,
  type CraftedAnswer,
  type CraftedRequest,
} from './support/api-test-server.js';

// `POST /apps/:id/events` and `/batch_events` in their plain form skip express routing. An unusual
// spelling of the same endpoint (a trailing slash, which express also routes there) still goes through
// express, so each case below is sent both ways and must be answered identically.
let server: ApiTestServer | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const other of servers.splice(0)) {
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});

// A stopped clock, so the skew named in a 401 is the same for both requests of a pair.
const fixedMs = Date.now();
const clock = { ...systemClock, now: () => fixedMs };
const nowSeconds = (): number => Math.floor(fixedMs / 1000);
const eventBody = JSON.stringify({ name: 'ev', data: '{}', channels: ['ch'] });
const batchBody = JSON.stringify({ batch: [{ name: 'ev', data: '{}', channel: 'ch' }] });

/** The same request on the fast path (`/apps/42/events`) and through express (`/apps/42/events/`). */
async function bothWays(
  baseUrl: string,
  request: CraftedRequest,
  init: { body?: string } = {},
): Promise<{ fast: CraftedAnswer; routed: CraftedAnswer }> {
  const fast = await answerCrafted(baseUrl, request, init.body ?? request.body);
  const routed = await answerCrafted(
    baseUrl,
    { ...request, path: `${request.path}/` },
    init.body ?? request.body,
  );
  return { fast, routed };
}

describe('HTTP API publish fast path', () => {
  it('answers a good trigger and a good batch exactly as express routing does', async () => {
    server = await startApiTestServer();
    for (const [path, body] of [
      ['/apps/42/events', eventBody],
      ['/apps/42/batch_events', batchBody],
    ] as const) {
      const { fast, routed } = await bothWays(server.baseUrl, { method: 'POST', path, body });
      expect(fast.status).toBe(200);
      expect(fast.text).toBe('{}');
      expect(fast.headers['access-control-allow-origin']).toBe('*');
      expect(fast.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(fast.headers.etag).toMatch(/^W\/"2-/);
      expect(fast).toEqual(routed);
    }
    expect(server.backend.triggerCalls).toHaveLength(4);
  });

  it('answers a trigger with info (a body other than {}) exactly as express routing does', async () => {
    server = await startApiTestServer();
    const body = JSON.stringify({ name: 'ev', data: '{}', channels: ['ch'], info: 'subscription_count' });
    const { fast, routed } = await bothWays(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body,
    });
    expect(fast.status).toBe(200);
    expect(JSON.parse(fast.text)).toEqual({ channels: { ch: { subscription_count: 0 } } });
    expect(fast).toEqual(routed);
  });

  it.each<[string, CraftedRequest, { body?: string }, number, string]>([
    [
      'a bad signature',
      { method: 'POST', path: '/apps/42/events', body: eventBody, secret: 'wrong' },
      {},
      401,
      '{"error":"auth_signature: auth_signature does not match","code":401}',
    ],
    [
      'a stale timestamp',
      { method: 'POST', path: '/apps/42/events', body: eventBody, timestamp: nowSeconds() - 601 },
      {},
      401,
      '{"error":"auth_timestamp: auth_timestamp is 601 s from server time; at most 600 s is allowed","code":401}',
    ],
    [
      'a wrong body_md5',
      { method: 'POST', path: '/apps/42/events', body: eventBody },
      { body: JSON.stringify({ name: 'ev', data: '{"evil":1}', channels: ['ch'] }) },
      401,
      '{"error":"body_md5: body_md5 does not match the request body","code":401}',
    ],
    [
      'an unknown app',
      { method: 'POST', path: '/apps/99/events', body: eventBody },
      {},
      404,
      '{"error":"unknown app id","code":404}',
    ],
    [
      'a body that is not JSON',
      { method: 'POST', path: '/apps/42/batch_events', body: '{"batch":' },
      {},
      400,
      '{"error":"body is not valid JSON: ',
    ],
    [
      'an invalid event',
      {
        method: 'POST',
        path: '/apps/42/events',
        body: JSON.stringify({ name: 'pusher:x', data: '', channel: 'c' }),
      },
      {},
      400,
      '{"error":"event names starting \\"pusher:\\" or \\"pusher_internal:\\" are reserved","code":400}',
    ],
  ])('refuses %s with the same status, body and headers', async (_what, request, init, status, text) => {
    server = await startApiTestServer(undefined, { clock });
    const { fast, routed } = await bothWays(server.baseUrl, request, init);
    expect(fast.status).toBe(status);
    expect(fast.text.startsWith(text)).toBe(true);
    expect(fast.headers['access-control-allow-origin']).toBe('*');
    expect(fast).toEqual(routed);
    expect(server.backend.triggerCalls).toEqual([]);
  });

  it('refuses a body over the limit with 413 and closes the connection, as express routing does', async () => {
    server = await startApiTestServer(undefined, { limits: { maxBodyBytes: 1000 } });
    const big = JSON.stringify({ name: 'ev', data: 'x'.repeat(2000), channels: ['ch'] });
    const { fast, routed } = await bothWays(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: big,
    });
    expect(fast.status).toBe(413);
    expect(fast.text).toBe('{"error":"request body is larger than 1000 bytes","code":413}');
    expect(fast.headers.connection).toBe('close');
    expect(fast).toEqual(routed);
  });

  it('answers 403 for a disabled app, after the signature', async () => {
    server = await startApiTestServer([{ ...testApp, enabled: false }]);
    const { fast, routed } = await bothWays(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: eventBody,
    });
    expect(fast.status).toBe(403);
    expect(fast).toEqual(routed);
  });
});

/** An express app with the given settings in front of the API router. */
async function startWithSettings(settings: Record<string, unknown>): Promise<string> {
  const app = express();
  for (const [name, value] of Object.entries(settings)) app.set(name, value);
  app.use(createApiRouter({ backend: new FakeApiBackend([testApp]) }));
  const http = createServer(app);
  servers.push(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('HTTP API {} answer', () => {
  it.each<[string, Record<string, unknown>]>([
    ['etag off', { etag: false }],
    ['a strong etag', { etag: 'strong' }],
    ['a custom etag function', { etag: (body: Buffer) => `"len-${body.length}"` }],
    [
      'a json replacer',
      { 'json replacer': (key: string, value: unknown) => (key === '' ? { wrapped: value } : value) },
    ],
  ])('follows the app settings as res.json() does (%s)', async (_what, settings) => {
    const baseUrl = await startWithSettings(settings);
    const { fast, routed } = await bothWays(baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: eventBody,
    });
    expect(fast.status).toBe(200);
    expect(fast).toEqual(routed);
  });

  it('sends no ETag with etag off and the replaced body with a json replacer', async () => {
    const noEtag = await answerCrafted(await startWithSettings({ etag: false }), {
      method: 'POST',
      path: '/apps/42/events',
      body: eventBody,
    });
    expect(noEtag.headers.etag).toBeUndefined();
    const replaced = await answerCrafted(
      await startWithSettings({
        'json replacer': (key: string, value: unknown) => (key === '' ? { wrapped: value } : value),
      }),
      { method: 'POST', path: '/apps/42/events', body: eventBody },
    );
    expect(replaced.text).toBe('{"wrapped":{}}');
  });
});
