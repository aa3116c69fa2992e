import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { decodeLongPollBatch, httpRoutePath } from '@tether/protocol';
import { createTetherServer, type AttachOptions, type TetherServer } from '@tether/server';
import { afterEach, describe, expect, it } from 'vitest';

const KEY = 'app-key';
const OPEN = `${httpRoutePath.longPollOpen(KEY)}?protocol=7&client=test&version=1`;

let running: { tether: TetherServer; http: Server } | undefined;

afterEach(async () => {
  if (!running) return;
  await running.tether.close({ drainMs: 100 });
  running.http.closeAllConnections();
  await new Promise<void>((resolve) => running?.http.close(() => resolve()));
  running = undefined;
});

/** An app whose own middleware refuses every request it sees, mounted before Tether's router. */
async function start(options?: AttachOptions) {
  const tether = createTetherServer();
  const seenByApp: string[] = [];
  const app = express();
  app.use((req, res) => {
    seenByApp.push(req.url);
    res.status(403).json({ error: 'the app refused it' });
  });
  app.use(tether.router());
  const http = createServer(app);
  tether.attach(http, options);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  running = { tether, http };
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { tether, http, seenByApp, url: (path: string) => `${origin}${path}` };
}

describe('attach(server, { fallbacksFirst })', () => {
  it('answers the fallback routes before the app and hands every other request to it', async () => {
    const { seenByApp, url } = await start({ fallbacksFirst: true });
    const opened = await fetch(url(OPEN));
    expect(opened.status).toBe(200);
    const batch = decodeLongPollBatch(await opened.text());
    expect(batch.ok && batch.value.frames[0]).toContain('pusher:connection_established');

    const other = await fetch(url('/health'));
    expect(other.status).toBe(403);
    expect(seenByApp).toEqual(['/health']);
  });

  it('by default leaves the fallback routes to the app, where router() is mounted', async () => {
    const { seenByApp, url } = await start();
    expect((await fetch(url(OPEN))).status).toBe(403);
    expect(seenByApp).toEqual([OPEN]);
  });

  it('gives the server its own request listeners back when Tether closes', async () => {
    const { tether, http, seenByApp, url } = await start({ fallbacksFirst: true });
    await tether.close({ drainMs: 100 });
    expect(http.listenerCount('request')).toBe(1);
    expect((await fetch(url(OPEN))).status).toBe(403);
    expect(seenByApp).toEqual([OPEN]);
  });
});
