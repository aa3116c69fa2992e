import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import { createTetherServer, type AttachOptions, type TetherServer } from '@tether/server';
import { afterEach } from 'vitest';
import { ClientPool } from './ws-test-client.js';

/** A user's express app with Tether's router mounted and `attach` called on its server, listening on port 0. */
export interface AttachedApp {
  tether: TetherServer;
  http: Server;
  app: Express;
  port: number;
  pool: ClientPool;
  /** What the app's own middleware saw, in the form `appMiddleware` notes it. */
  seenByApp: string[];
  url: (path: string) => string;
  stop: () => Promise<void>;
}

/**
 * Starts an app whose own middleware (`appMiddleware`, given the list to note requests in) runs before
 * Tether's router, then attaches Tether with `options`, after the app is on the server as the README says.
 */
export async function startAttachedApp(
  appMiddleware: (seenByApp: string[]) => RequestHandler,
  options?: AttachOptions,
): Promise<AttachedApp> {
  const tether = createTetherServer();
  const seenByApp: string[] = [];
  const app = express();
  app.use(appMiddleware(seenByApp));
  app.use(tether.router());
  const http = createServer(app);
  tether.attach(http, options);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const pool = new ClientPool((path) => `ws://127.0.0.1:${port}${path}`);
  const stop = async (): Promise<void> => {
    pool.closeAll();
    await tether.close({ drainMs: 100 });
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return { tether, http, app, port, pool, seenByApp, url: (path) => `http://127.0.0.1:${port}${path}`, stop };
}

/**
 * `startAttachedApp` for a test file: the returned function starts one app per test with these
 * middleware, and an `afterEach` registered here stops it.
 */
export function attachedAppPerTest(
  appMiddleware: (seenByApp: string[]) => RequestHandler,
): (options?: AttachOptions) => Promise<AttachedApp> {
  let running: AttachedApp | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (options) => (running = await startAttachedApp(appMiddleware, options));
}
