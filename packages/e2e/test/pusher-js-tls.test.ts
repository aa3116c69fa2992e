import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTetherServer } from '@tether/server';
import { nextEvent, PUSHER_JS_TRANSPORTS, PusherJsClients, waitForState } from '../src/pusher-js-clients.js';

// Spec §11 item 2: pusher-js with forceTLS reaches Tether over wss:// (and https:// for its HTTP
// transports) when Tether is attached to an https.Server. The certificate is self-signed for
// 127.0.0.1, so this worker process stops verifying certificates for the duration of the file.

let cert: { key: Buffer; cert: Buffer };
let previous: string | undefined;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-tls-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ],
    {
      stdio: 'ignore',
    },
  );
  cert = { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
});

afterAll(() => {
  if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
});

describe.each(PUSHER_JS_TRANSPORTS)('stock pusher-js with forceTLS over %s', (transport) => {
  it('connects through an https.Server and receives events', async () => {
    const tether = createTetherServer();
    const connections: string[] = [];
    tether.on('connection', (c) => connections.push(c.transport));
    const app = express();
    app.use(tether.router());
    const server = createServer(cert, app);
    tether.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const clients = new PusherJsClients();
    try {
      const pusher = clients.create({
        port,
        transport,
        options: { forceTLS: true, wssPort: port, httpsPort: port },
      });
      await waitForState(pusher, 'connected');
      expect(pusher.connection.socket_id).toMatch(/^\d+\.\d+$/);
      expect(connections).toEqual([transport === 'ws' ? 'websocket' : transport]);
      const channel = pusher.subscribe('news');
      await nextEvent(channel, 'pusher:subscription_succeeded');
      const got = nextEvent(channel, 'headline');
      await tether.trigger(tether.apps.findByKey('app-key')!, [
        { channel: 'news', name: 'headline', data: '{"secure":true}' },
      ]);
      expect((await got).data).toEqual({ secure: true });
    } finally {
      clients.disconnectAll();
      await tether.close({ drainMs: 200 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
