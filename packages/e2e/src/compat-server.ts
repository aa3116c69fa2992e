import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Pusher from 'pusher';
import {
  createTetherServer,
  type AppInput,
  type TetherServer,
  type TetherServerEventName,
  type TetherServerEvents,
  type TetherServerInput,
} from '@tether/server';

export const compatApp = { id: 'app-id', key: 'app-key', secret: 'app-secret' } as const;

/** One call to the auth endpoints, as the app's backend saw it. */
export interface AuthCall {
  path: string;
  socketId: string;
  channel?: string;
}

/** One connection as the server saw it open: which transport carried it. */
export interface ConnectionRecord {
  socketId: string;
  transport: string;
}

export interface CompatServerOptions extends TetherServerInput {
  /** Overrides for the one app served (`app-id` / `app-key` / `app-secret`): limits, client events, webhooks. */
  app?: Partial<Omit<AppInput, 'id' | 'key' | 'secret'>>;
  /** 32-byte key, base64, for the SDK's `encryptionMasterKeyBase64` (private-encrypted channels). */
  encryptionMasterKeyBase64?: string;
}

export interface CompatServer {
  /** The node serving now (replaced by `replaceNode`). */
  readonly tether: TetherServer;
  http: Server;
  port: number;
  /** The official server SDK pointed at this server. */
  sdk: Pusher;
  authCalls: AuthCall[];
  /** Every connection any node opened, in order. */
  connections: ConnectionRecord[];
  authEndpoint: string;
  userAuthEndpoint: string;
  /**
   * A rolling restart behind one address: a fresh Tether node takes every new request and upgrade,
   * then the old node drains (close 4200 to each client). Resolves when the old node is closed.
   */
  replaceNode(): Promise<void>;
  close(): Promise<void>;
}

/** `/pusher/app/{key}/{server}/{session}/xhr…`: captures `{server}/{session}`. */
const SOCKJS_SESSION_PATH = /^\/pusher\/app\/[^/]+\/([^/]+\/[^/]+)\/xhr/;

/** Teardown after a test: clients are being disconnected anyway. */
const CLOSE_DRAIN_MS = 200;
/** A rolling restart: long enough for a polling client's next poll to collect its 4200. */
const REPLACE_DRAIN_MS = 2000;

interface Node {
  tether: TetherServer;
  closed: boolean;
  /** Never listens: the real server forwards upgrades to the current node's stand-in. */
  upgrades: Server;
}

/**
 * A Tether server plus the auth endpoints an app writes with the official `pusher` SDK, on one
 * http.Server bound to 127.0.0.1:0. pusher-js sends extra form fields from `params`:
 * `user_id`, `user_id_number` (presence id as a JSON number), `name`, and `tamper=1` to corrupt the signature.
 */
export async function startCompatServer(options: CompatServerOptions = {}, port = 0): Promise<CompatServer> {
  const { app: appOverrides, encryptionMasterKeyBase64, ...tetherOptions } = options;
  const connections: ConnectionRecord[] = [];
  const startNode = (): Node => {
    const tether = createTetherServer({ apps: [{ ...compatApp, ...appOverrides }], ...tetherOptions });
    tether.on('connection', ({ socketId, transport }) => connections.push({ socketId, transport }));
    const upgrades = createServer();
    tether.attach(upgrades);
    return { tether, upgrades, closed: false };
  };
  let node = startNode();

  const app = express();
  const http = createServer(app);
  http.on('upgrade', (req, socket, head) => node.upgrades.emit('upgrade', req, socket, head));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const actualPort = (http.address() as AddressInfo).port;
  const sdk = new Pusher({
    appId: compatApp.id,
    key: compatApp.key,
    secret: compatApp.secret,
    host: '127.0.0.1',
    port: String(actualPort),
    useTLS: false,
    ...(encryptionMasterKeyBase64 !== undefined ? { encryptionMasterKeyBase64 } : {}),
  });
  const authCalls: AuthCall[] = [];
  const form = express.urlencoded({ extended: false });

  app.post('/pusher/auth', form, (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const socketId = body.socket_id ?? '';
    const channel = body.channel_name ?? '';
    authCalls.push({ path: req.path, socketId, channel });
    let auth: Pusher.ChannelAuthResponse;
    if (channel.startsWith('presence-')) {
      const userId =
        body.user_id_number !== undefined ? Number(body.user_id_number) : (body.user_id ?? 'anonymous');
      auth = sdk.authorizeChannel(socketId, channel, {
        user_id: userId as string,
        user_info: { name: body.name ?? String(userId) },
      });
    } else {
      auth = sdk.authorizeChannel(socketId, channel);
    }
    if (body.tamper === '1') auth = { ...auth, auth: `${auth.auth.slice(0, -4)}0000` };
    res.json(auth);
  });

  app.post('/pusher/user-auth', form, (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const socketId = body.socket_id ?? '';
    authCalls.push({ path: req.path, socketId });
    res.json(
      sdk.authenticateUser(socketId, { id: body.user_id ?? 'anonymous', name: body.user_id ?? 'anonymous' }),
    );
  });

  // Path-based session affinity, as a load balancer in front of several nodes does it (spec §7.4.9):
  // every request of one pusher-js HTTP session reaches the node that holds it, even while it drains.
  const sessionNodes = new Map<string, Node>();
  app.use((req, res, next) => {
    const session = SOCKJS_SESSION_PATH.exec(req.path)?.[1];
    let target = node;
    if (session !== undefined) {
      const pinned = sessionNodes.get(session);
      if (pinned !== undefined && !pinned.closed) target = pinned;
      else sessionNodes.set(session, node);
    }
    target.tether.router()(req, res, next);
  });

  const stopNode = async (stopped: Node, drainMs: number): Promise<void> => {
    await stopped.tether.close({ drainMs });
    stopped.closed = true;
  };

  return {
    get tether() {
      return node.tether;
    },
    http,
    port: actualPort,
    sdk,
    authCalls,
    connections,
    authEndpoint: `http://127.0.0.1:${actualPort}/pusher/auth`,
    userAuthEndpoint: `http://127.0.0.1:${actualPort}/pusher/user-auth`,
    async replaceNode() {
      const old = node;
      node = startNode();
      await stopNode(old, REPLACE_DRAIN_MS);
    },
    async close() {
      await stopNode(node, CLOSE_DRAIN_MS);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Resolves with the context of the next `event` the current node emits that matches `predicate`. */
export function nextServerEvent<K extends TetherServerEventName>(
  server: CompatServer,
  event: K,
  predicate: (context: TetherServerEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<TetherServerEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no server event ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = server.tether.on(event, (context) => {
      if (!predicate(context)) return;
      clearTimeout(timer);
      off();
      resolve(context);
    });
  });
}
