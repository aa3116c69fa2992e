import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelStringToSign, presenceStringToSign, userStringToSign } from '@tether/protocol';
import { createTetherServer, defaultAppCredentials, type TetherServer } from '@tether/server';

/** What the auth endpoints saw, for assertions on the exact form bodies. */
export interface AuthCall {
  path: string;
  contentType: string | undefined;
  body: string;
}

export interface ClientTestServer {
  tether: TetherServer;
  port: number;
  authUrl: string;
  userAuthUrl: string;
  authCalls: AuthCall[];
  /** Channels the auth endpoint refuses with 403. */
  forbidden: Set<string>;
  /** Publishes an app event, as the HTTP API would. */
  trigger(channel: string, event: string, data: unknown): Promise<void>;
  close(): Promise<void>;
}

const { key, secret } = defaultAppCredentials;
const sign = (text: string): string => `${key}:${createHmac('sha256', secret).update(text).digest('hex')}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A real Tether server on 127.0.0.1 port 0, plus the two auth endpoints an app writes, signing the
 * way the official SDK does (spec §6.2). The presence user and the signed-in user come from the
 * `user_id` param the client adds to its auth requests.
 */
export async function startClientTestServer(): Promise<ClientTestServer> {
  const tether = createTetherServer();
  const authCalls: AuthCall[] = [];
  const forbidden = new Set<string>();

  const reply = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = req.url ?? '';
    authCalls.push({ path, contentType: req.headers['content-type'], body });
    const form = new URLSearchParams(body);
    const socketId = form.get('socket_id') ?? '';
    const userId = form.get('user_id') ?? 'anonymous';
    if (req.method === 'POST' && path === '/pusher/auth') {
      const channel = form.get('channel_name') ?? '';
      if (forbidden.has(channel)) return reply(res, 403, { error: 'forbidden' });
      if (channel.startsWith('presence-')) {
        const channelData = JSON.stringify({ user_id: userId, user_info: { name: userId } });
        return reply(res, 200, {
          auth: sign(presenceStringToSign(socketId, channel, channelData)),
          channel_data: channelData,
        });
      }
      return reply(res, 200, { auth: sign(channelStringToSign(socketId, channel)) });
    }
    if (req.method === 'POST' && path === '/pusher/user-auth') {
      const userData = JSON.stringify({ id: userId, name: userId });
      return reply(res, 200, { auth: sign(userStringToSign(socketId, userData)), user_data: userData });
    }
    return reply(res, 404, { error: 'not found' });
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, { error: 'test server failure' }));
  });
  tether.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const app = tether.apps.findByKey(key);
  if (app === undefined) throw new Error('default app missing');
  return {
    tether,
    port,
    authUrl: `http://127.0.0.1:${port}/pusher/auth`,
    userAuthUrl: `http://127.0.0.1:${port}/pusher/user-auth`,
    authCalls,
    forbidden,
    trigger: (channel, event, data) =>
      tether.trigger(app, [{ channel, name: event, data: JSON.stringify(data) }]),
    async close() {
      await tether.close({ drainMs: 100 });
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * Resolves with the next context a listener receives, e.g.
 * `once<MemberContext>((l) => channel.bind('pusher:member_added', l))`; rejects after `timeoutMs`.
 */
export function once<C>(
  bind: (listener: (context: C) => void) => () => void,
  predicate: (context: C) => boolean = () => true,
  timeoutMs = 5000,
): Promise<C> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => undefined;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no event within ${timeoutMs} ms`));
    }, timeoutMs);
    off = bind((context) => {
      if (!predicate(context)) return;
      clearTimeout(timer);
      off();
      resolve(context);
    });
  });
}
