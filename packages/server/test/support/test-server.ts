import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Pusher from 'pusher';
import {
  createTetherServer,
  defaultAppCredentials,
  type TetherServer,
  type TetherServerInput,
  type TetherServerEventName,
  type TetherServerEvents,
} from '@tether/server';

export interface TestServer {
  tether: TetherServer;
  http: Server;
  port: number;
  /** `ws://127.0.0.1:{port}{path}` */
  wsUrl(path: string): string;
  httpUrl(path: string): string;
  close(): Promise<void>;
}

/** A Tether server on a real http.Server bound to 127.0.0.1 port 0, as an app would mount it. */
export async function startServer(options: TetherServerInput = {}): Promise<TestServer> {
  const tether = createTetherServer(options);
  const app = express();
  app.use(tether.router());
  const http = createServer(app);
  tether.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    tether,
    http,
    port,
    wsUrl: (path) => `ws://127.0.0.1:${port}${path}`,
    httpUrl: (path) => `http://127.0.0.1:${port}${path}`,
    async close() {
      await tether.close({ drainMs: 200 });
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The official `pusher` SDK pointed at a test server on 127.0.0.1, as the default app. */
export const defaultAppSdk = (port: number): Pusher =>
  new Pusher({
    appId: defaultAppCredentials.id,
    key: defaultAppCredentials.key,
    secret: defaultAppCredentials.secret,
    host: '127.0.0.1',
    port: String(port),
    useTLS: false,
  });

/** Resolves with the context of the next `event` the server emits that matches `predicate`. */
export function nextServerEvent<K extends TetherServerEventName>(
  tether: TetherServer,
  event: K,
  predicate: (context: TetherServerEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<TetherServerEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no server event ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = tether.on(event, (context) => {
      if (!predicate(context)) return;
      clearTimeout(timer);
      off();
      resolve(context);
    });
  });
}
