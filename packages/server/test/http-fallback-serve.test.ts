import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeLongPollBatch,
  encodeSendBody,
  httpRoutePath,
  readSseMessage,
  SseReader,
  type LongPollBatch,
} from '@tether/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpFallbacks, type HttpFallbacks } from '../src/transports/http-fallbacks.js';
import { HttpTestHost, TEST_APP_KEY } from './support/http-test-host.js';
import { TextStreamReader } from './support/http-test-server.js';

let running: { server: Server; fallbacks: HttpFallbacks } | undefined;

afterEach(async () => {
  if (!running) return;
  running.fallbacks.close();
  running.server.closeAllConnections();
  await new Promise<void>((resolve) => running?.server.close(() => resolve()));
  running = undefined;
});

/** A bare Node server that answers the fallback routes first and anything else itself: no framework. */
async function startBare(pathPrefix = '') {
  const host = new HttpTestHost();
  const fallbacks = createHttpFallbacks({ host, pathPrefix });
  const server = createServer((req, res) => {
    if (fallbacks.serve(req, res)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not ours');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running = { server, fallbacks };
  return { host, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function batch(response: Response): Promise<LongPollBatch> {
  expect(response.status).toBe(200);
  const decoded = decodeLongPollBatch(await response.text());
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

describe('fallbacks.serve: the fallback routes as a plain Node request handler', () => {
  it('serves a long-poll session (open, held poll, send) and hands every other path on', async () => {
    const { origin } = await startBare('/rt');
    const first = await batch(
      await fetch(`${origin}/rt${httpRoutePath.longPollOpen(TEST_APP_KEY)}?protocol=7&client=t&version=1`),
    );
    const held = fetch(
      `${origin}/rt${httpRoutePath.longPoll(TEST_APP_KEY, first.session)}?cursor=${first.cursor}`,
    );
    const sent = await fetch(`${origin}/rt${httpRoutePath.send(TEST_APP_KEY, first.session)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: encodeSendBody(['{"event":"pusher:ping","data":{}}']),
    });
    expect(sent.status).toBe(204);
    const pong = await batch(await held);
    expect(pong.frames.map((frame) => JSON.parse(frame).event)).toEqual(['pusher:pong']);
    const other = await fetch(`${origin}${httpRoutePath.longPollOpen(TEST_APP_KEY)}?protocol=7`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('not ours');
  });

  it('serves an SSE stream', async () => {
    const { host, origin } = await startBare();
    const response = await fetch(`${origin}${httpRoutePath.sseOpen(TEST_APP_KEY)}?protocol=7`);
    const reader = new TextStreamReader(response);
    await reader.until((text) => text.includes('connection_established'));
    host.last.transport.send('{"event":"e","channel":"c","data":"1"}');
    const text = await reader.until((all) => all.includes('"data":"1"'));
    const signals = new SseReader().push(text).map((message) => readSseMessage(message));
    expect(signals.at(-1)).toEqual({
      ok: true,
      value: { type: 'frame', frame: '{"event":"e","channel":"c","data":"1"}' },
    });
  });
});
