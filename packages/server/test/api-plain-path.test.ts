import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApi, type ApiRouterOptions } from '../src/api/api-router.js';
import type { AppInput } from '../src/app-config.js';
import { systemClock } from '../src/clock.js';
import { FakeApiBackend } from './support/api-fake-backend.js';
import {
  answerCrafted,
  testApp,
  type CraftedAnswer,
  type CraftedRequest,
} from './support/api-test-server.js';

// `createHttpApi(…).serve` answers the publish endpoints on Node's own request and response (what
// `attach(server, { apiFirst: true })` uses). Each case is sent to a plain Node server using it and to an
// express app using the router, and must be answered alike but for the headers only express adds.
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const NOT_OURS = 418;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The same API twice, over one backend: behind a plain Node listener and inside an express app. */
async function startBoth(
  apps: AppInput[] = [testApp],
  options: Omit<ApiRouterOptions, 'backend'> = {},
): Promise<{ backend: FakeApiBackend; plain: string; routed: string }> {
  const backend = new FakeApiBackend(apps);
  const api = createHttpApi({ ...options, backend });
  const plain = createServer((req, res) => {
    if (api.serve(req, res)) return;
    res.statusCode = NOT_OURS;
    res.end();
  });
  const app = express();
  app.use(api.router);
  return { backend, plain: await listen(plain), routed: await listen(createServer(app)) };
}

/** The express answer without what only express adds. */
function withoutExpressHeaders(routed: CraftedAnswer): CraftedAnswer {
  const headers = { ...routed.headers };
  delete headers['x-powered-by'];
  delete headers.etag;
  return { ...routed, headers };
}

const fixedMs = Date.now();
const clock = { ...systemClock, now: () => fixedMs };
const eventBody = JSON.stringify({ name: 'ev', data: '{}', channels: ['ch'] });
const batchBody = JSON.stringify({ batch: [{ name: 'ev', data: '{}', channel: 'ch' }] });

describe('the HTTP API on a plain Node request and response', () => {
  it.each<[string, CraftedRequest, string | undefined, number]>([
    ['a trigger', { method: 'POST', path: '/apps/42/events', body: eventBody }, undefined, 200],
    ['a batch', { method: 'POST', path: '/apps/42/batch_events', body: batchBody }, undefined, 200],
    [
      'a trigger with info',
      {
        method: 'POST',
        path: '/apps/42/events',
        body: JSON.stringify({ name: 'ev', data: '{}', channels: ['ch'], info: 'subscription_count' }),
      },
      undefined,
      200,
    ],
    [
      'a bad signature',
      { method: 'POST', path: '/apps/42/events', body: eventBody, secret: 'wrong' },
      undefined,
      401,
    ],
    [
      'a wrong body_md5',
      { method: 'POST', path: '/apps/42/events', body: eventBody },
      JSON.stringify({ name: 'ev', data: '{"evil":1}', channels: ['ch'] }),
      401,
    ],
    ['an unknown app', { method: 'POST', path: '/apps/99/events', body: eventBody }, undefined, 404],
    [
      'a body that is not JSON',
      { method: 'POST', path: '/apps/42/batch_events', body: '{"b' },
      undefined,
      400,
    ],
    [
      'a body over the limit',
      { method: 'POST', path: '/apps/42/events', body: JSON.stringify({ data: 'x'.repeat(2000) }) },
      undefined,
      413,
    ],
  ])('answers %s as express does, minus X-Powered-By and ETag', async (_what, request, body, status) => {
    const { plain, routed } = await startBoth([testApp], { clock, limits: { maxBodyBytes: 1000 } });
    const fromPlain = await answerCrafted(plain, request, body);
    const fromExpress = await answerCrafted(routed, request, body);
    expect(fromPlain.status).toBe(status);
    expect(fromPlain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(fromPlain.headers['access-control-allow-origin']).toBe('*');
    expect(fromPlain.headers['x-powered-by']).toBeUndefined();
    expect(fromPlain.headers.etag).toBeUndefined();
    expect(fromPlain).toEqual(withoutExpressHeaders(fromExpress));
  });

  it('answers a disabled app 403 and a failing backend 500 as express does', async () => {
    const disabled = await startBoth([{ ...testApp, enabled: false }]);
    const request: CraftedRequest = { method: 'POST', path: '/apps/42/events', body: eventBody };
    const refused = await answerCrafted(disabled.plain, request);
    expect(refused.status).toBe(403);
    expect(refused).toEqual(withoutExpressHeaders(await answerCrafted(disabled.routed, request)));

    const failing = await startBoth();
    failing.backend.failure = new Error('backend down');
    const failed = await answerCrafted(failing.plain, request);
    expect(failed).toMatchObject({ status: 500, text: '{"error":"internal server error","code":500}' });
    expect(failed).toEqual(withoutExpressHeaders(await answerCrafted(failing.routed, request)));
  });

  it('delivers a publish it answers', async () => {
    const { backend, plain } = await startBoth();
    backend.subscribe('1.1', 'ch');
    expect(
      (await answerCrafted(plain, { method: 'POST', path: '/apps/42/events', body: eventBody })).status,
    ).toBe(200);
    expect(backend.deliveredTo('1.1')).toEqual([{ socketId: '1.1', channel: 'ch', name: 'ev', data: '{}' }]);
  });

  it.each<[string, CraftedRequest]>([
    ['another endpoint', { method: 'GET', path: '/apps/42/channels' }],
    ['an unusual spelling of a publish', { method: 'POST', path: '/apps/42/events/', body: eventBody }],
    [
      'a publish elsewhere than /apps at the root',
      { method: 'POST', path: '/api/apps/42/events', body: eventBody },
    ],
  ])('hands on %s', async (_what, request) => {
    const { backend, plain } = await startBoth();
    expect((await answerCrafted(plain, request)).status).toBe(NOT_OURS);
    expect(backend.triggerCalls).toEqual([]);
  });
});
