import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createTetherServer, type TetherServer, type TetherServerInput } from '@tether/server';
import { authRoute } from './auth-route.js';
import { bundleAt, findClientBundle, type ClientBundle } from './client-bundle.js';
import { chatDefaults, type ChatOptions } from './chat-options.js';
import { jsonErrors } from './json-errors.js';
import { messageRoutes } from './message-routes.js';
import { RecentMessages } from './recent-messages.js';

export interface ChatServerDependencies {
  now?: () => number;
  nextId?: () => string;
  /** Where the client's browser build is; default: found through node_modules (`findClientBundle`). */
  clientBundleDir?: string;
  /** Extra Tether server options (tests shorten timings here). */
  tether?: Omit<TetherServerInput, 'apps'>;
}

export interface ChatServer {
  readonly http: Server;
  readonly tether: TetherServer;
  readonly history: RecentMessages;
  /** Where the page loads the client bundle from; undefined when @tether/client is not installed. */
  readonly clientBundle: ClientBundle | undefined;
  /** Listens on `options.port` / `options.host`; resolves with the URL to open. */
  listen(): Promise<{ port: number; url: string }>;
  /** Sends everyone away cleanly (close 4200, so clients reconnect to the next process) and stops listening. */
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));
/** Listening on every interface: the URL to print is this machine's own. */
const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::']);
/** Short drain on shutdown: a chat page reconnects by itself. */
const CLOSE_DRAIN_MS = 1_000;

/**
 * The chat backend: one Express app and one HTTP server carrying the page, the client bundle, the
 * auth and message routes, and Tether (WebSocket upgrades plus the SSE / long-poll routes): one
 * origin, so the browser never sends a CORS preflight.
 */
export function createChatServer(
  input: Partial<ChatOptions> = {},
  deps: ChatServerDependencies = {},
): ChatServer {
  const options: ChatOptions = { ...chatDefaults, ...input };
  const tether = createTetherServer({
    ...deps.tether,
    apps: [options.app],
    ...(options.redisUrl !== undefined && { redisUrl: options.redisUrl }),
  });
  const appConfig = tether.apps.findById(options.app.id);
  if (appConfig === undefined) throw new Error(`app ${options.app.id} is not configured`);
  const history = new RecentMessages({ perRoom: options.historyPerRoom, rooms: options.maxRooms });
  const clientBundle =
    deps.clientBundleDir !== undefined ? bundleAt(deps.clientBundleDir) : findClientBundle();

  const app = express();
  app.disable('x-powered-by');
  app.use(express.static(PUBLIC_DIR));
  if (clientBundle !== undefined) app.use('/vendor', express.static(clientBundle.dir));
  app.get('/config.json', (_req, res) => {
    res.json({ appKey: options.app.key });
  });
  app.use(authRoute({ app: options.app }));
  app.use(
    messageRoutes({
      history,
      publish: (channel, event, data) => tether.trigger(appConfig, [{ channel, name: event, data }]),
      now: deps.now ?? Date.now,
      nextId: deps.nextId ?? randomUUID,
    }),
  );
  app.use(tether.router());
  app.use(jsonErrors);

  const http = createServer(app);
  tether.attach(http);

  return {
    http,
    tether,
    history,
    clientBundle,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(options.port, options.host, () => {
          http.off('error', reject);
          const { port } = http.address() as AddressInfo;
          const host = WILDCARD_HOSTS.has(options.host) ? 'localhost' : options.host;
          resolve({ port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/` });
        });
      }),
    close: async () => {
      await tether.close({ drainMs: CLOSE_DRAIN_MS });
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
