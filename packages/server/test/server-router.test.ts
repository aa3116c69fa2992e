import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultAppSdk, startServer, type TestServer } from './support/test-server.js';
import { ClientPool } from './support/ws-test-client.js';

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

describe('tether.router()', () => {
  it('serves the HTTP API: an SDK trigger reaches a WebSocket subscriber', async () => {
    const { client } = await pool.connect();
    await client.subscribe('news');
    const sdk = defaultAppSdk(server.port);
    const response = await sdk.trigger('news', 'headline', { a: 1 });
    expect(response.status).toBe(200);
    expect((await client.nextEvent('headline')).parsed).toEqual({ a: 1 });
  });

  it('serves the HTTP fallbacks: an SSE session opens through the same SessionHost and counts as a connection', async () => {
    const controller = new AbortController();
    const response = await fetch(server.httpUrl('/app/app-key/sse?protocol=7'), {
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('pusher:connection_established')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toContain('pusher:connection_established');
    expect(server.tether.connectionCount).toBe(1);
    controller.abort();
  });

  it('returns the same router on every call', () => {
    expect(server.tether.router()).toBe(server.tether.router());
  });
});
