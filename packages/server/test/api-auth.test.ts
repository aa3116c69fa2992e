import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import type { TetherServerEvents } from '../src/server-events.js';
import {
  craftSignedUrl,
  sdkFailure,
  sendCrafted,
  startApiTestServer,
  testApp,
  type ApiTestServer,
} from './support/api-test-server.js';

// Spec §11 item 28 plus the HTTP API's error contract: signed requests crafted by hand, one part bent at a time.
let server: ApiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const eventBody = JSON.stringify({ name: 'ev', data: '{}', channels: ['ch'] });

describe('HTTP API request verification', () => {
  it('accepts a correctly crafted request', async () => {
    server = await startApiTestServer();
    const result = await sendCrafted(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: eventBody,
    });
    expect(result).toMatchObject({ status: 200, body: {} });
    expect(server.backend.triggerCalls).toHaveLength(1);
  });

  it('refuses a timestamp 601 s old with 401, accepts 599 s', async () => {
    server = await startApiTestServer();
    const old = await sendCrafted(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: eventBody,
      timestamp: nowSeconds() - 601,
    });
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({
      code: 401,
      error: expect.stringMatching(/^auth_timestamp: /) as unknown,
    });
    const recent = await sendCrafted(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: eventBody,
      timestamp: nowSeconds() - 599,
    });
    expect(recent.status).toBe(200);
    expect(server.backend.triggerCalls).toHaveLength(1);
  });

  it('refuses a body that does not match body_md5 with 401', async () => {
    server = await startApiTestServer();
    const other = JSON.stringify({ name: 'ev', data: '{"evil":1}', channels: ['ch'] });
    const url = craftSignedUrl(server.baseUrl, { method: 'POST', path: '/apps/42/events', body: eventBody });
    const response = await fetch(url, {
      method: 'POST',
      body: other,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'body_md5: body_md5 does not match the request body',
      code: 401,
    });
    expect(server.backend.triggerCalls).toEqual([]);
  });

  it('verifies the raw bytes, not a re-serialization of them', async () => {
    server = await startApiTestServer();
    const spaced = '{ "name" : "ev", "data" : "{}", "channels" : [ "ch" ] }';
    const result = await sendCrafted(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: spaced,
    });
    expect(result.status).toBe(200);
  });

  it('refuses a wrong key, a wrong secret and a missing body_md5 with 401', async () => {
    server = await startApiTestServer();
    const base = { method: 'POST', path: '/apps/42/events', body: eventBody } as const;
    expect((await sendCrafted(server.baseUrl, { ...base, key: 'nope' })).body).toMatchObject({
      code: 401,
      error: expect.stringMatching(/^auth_key/) as unknown,
    });
    expect((await sendCrafted(server.baseUrl, { ...base, secret: 'nope' })).body).toMatchObject({
      code: 401,
      error: expect.stringMatching(/^auth_signature/) as unknown,
    });
    const url = craftSignedUrl(server.baseUrl, { method: 'POST', path: '/apps/42/events' });
    const response = await fetch(url, { method: 'POST', body: eventBody });
    expect(response.status).toBe(401);
    expect(server.backend.triggerCalls).toEqual([]);
  });

  it('verifies URL-encoded query values against their decoded form', async () => {
    server = await startApiTestServer();
    server.backend.subscribe('1.1', 'a@b,c').subscribe('1.1', 'other');
    const result = await sendCrafted(server.baseUrl, {
      method: 'GET',
      path: '/apps/42/channels',
      params: { filter_by_prefix: 'a@b,' },
    });
    expect(result).toMatchObject({ status: 200, body: { channels: { 'a@b,c': {} } } });
  });

  it('uses the injected clock for the timestamp window', async () => {
    const past = Date.UTC(2020, 0, 1);
    server = await startApiTestServer(undefined, { clock: { ...systemClock, now: () => past } });
    const failure = await sdkFailure(server.pusher.trigger('ch', 'ev', {}));
    expect(failure.status).toBe(401);
    const then = await sendCrafted(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: eventBody,
      timestamp: past / 1000,
    });
    expect(then.status).toBe(200);
  });
});

describe('HTTP API error contract', () => {
  it('answers 404 JSON for an unknown app id', async () => {
    server = await startApiTestServer();
    const result = await sendCrafted(server.baseUrl, {
      method: 'POST',
      path: '/apps/43/events',
      body: eventBody,
    });
    expect(result).toMatchObject({ status: 404, body: { error: 'unknown app id', code: 404 } });
  });

  it('answers 403 for a disabled app, after checking the signature', async () => {
    server = await startApiTestServer([{ ...testApp, enabled: false }]);
    expect(
      (await sendCrafted(server.baseUrl, { method: 'POST', path: '/apps/42/events', body: eventBody })).body,
    ).toEqual({
      error: 'app is disabled',
      code: 403,
    });
    expect(
      (
        await sendCrafted(server.baseUrl, {
          method: 'POST',
          path: '/apps/42/events',
          body: eventBody,
          secret: 'x',
        })
      ).status,
    ).toBe(401);
    expect(server.backend.triggerCalls).toEqual([]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    server = await startApiTestServer();
    const result = await sendCrafted(server.baseUrl, {
      method: 'POST',
      path: '/apps/42/events',
      body: '{"name":',
    });
    expect(result).toMatchObject({ status: 400, body: { code: 400 } });
  });

  it('answers 413 for a body over the router limit', async () => {
    server = await startApiTestServer(undefined, { limits: { maxBodyBytes: 1000 } });
    const big = JSON.stringify({ name: 'ev', data: 'x'.repeat(2000), channels: ['ch'] });
    const result = await sendCrafted(server.baseUrl, { method: 'POST', path: '/apps/42/events', body: big });
    expect(result).toMatchObject({
      status: 413,
      body: { error: 'request body is larger than 1000 bytes', code: 413 },
    });
    expect(result.headers.get('connection')).toBe('close');
  });

  it('answers 413 for a chunked body that grows over the limit', async () => {
    server = await startApiTestServer(undefined, { limits: { maxBodyBytes: 1000 } });
    const big = 'x'.repeat(4000);
    const url = craftSignedUrl(server.baseUrl, { method: 'POST', path: '/apps/42/events', body: big });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i += 1)
          controller.enqueue(new TextEncoder().encode(big.slice(i * 1000, (i + 1) * 1000)));
        controller.close();
      },
    });
    const response = await fetch(url, { method: 'POST', body: stream, duplex: 'half' });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'request body is larger than 1000 bytes', code: 413 });
  });

  it('answers 500 JSON when the backend fails, and reports the error', async () => {
    const errors: TetherServerEvents['error'][] = [];
    server = await startApiTestServer(undefined, { error: (context) => errors.push(context) });
    server.backend.failure = new Error('adapter down');
    const failure = await sdkFailure(server.pusher.trigger('ch', 'ev', {}));
    expect(failure).toEqual({ status: 500, body: { error: 'internal server error', code: 500 } });
    expect(errors).toEqual([{ error: server.backend.failure, context: 'HTTP API POST /apps/42/events' }]);
  });

  it('answers 404 JSON for an unknown /apps endpoint and leaves other paths alone', async () => {
    server = await startApiTestServer();
    const unknown = await fetch(`${server.baseUrl}/apps/42/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no such HTTP API endpoint', code: 404 });
    const elsewhere = await fetch(`${server.baseUrl}/app/test-key`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect(elsewhere.headers.get('content-type')).not.toMatch(/json/);
  });
});

describe('HTTP API CORS', () => {
  it('answers preflights with 204 and the allowed methods and headers', async () => {
    server = await startApiTestServer();
    const response = await fetch(`${server.baseUrl}/apps/42/events`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-pusher-library',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowed = response.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
    for (const header of ['content-type', 'x-pusher-library', 'x-socket-id'])
      expect(allowed).toContain(header);
  });

  it('sets the CORS origin header, and only it, on successes and errors', async () => {
    server = await startApiTestServer();
    const ok = await sendCrafted(server.baseUrl, { method: 'GET', path: '/apps/42/channels' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    // Only a preflight answer means anything to a browser with these; nothing else carries them.
    expect(ok.headers.get('access-control-allow-methods')).toBeNull();
    expect(ok.headers.get('access-control-max-age')).toBeNull();
    const failed = await sendCrafted(server.baseUrl, {
      method: 'GET',
      path: '/apps/42/channels',
      secret: 'x',
    });
    expect(failed.status).toBe(401);
    expect(failed.headers.get('access-control-allow-origin')).toBe('*');
  });
});
