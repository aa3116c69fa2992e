import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Pusher from 'pusher';
import { describe, expect, it } from 'vitest';
import { createTetherServer } from '@tether/server';
import { nextEvent, PUSHER_JS_TRANSPORTS, PusherJsClients } from '../src/pusher-js-clients.js';

// The Express quick start of packages/server/README.md, except that the port is 0 (so the server listens
// before the SDK is told the real port), driven by the pusher-js options the README shows.

describe.each(PUSHER_JS_TRANSPORTS)('the README quick start with stock pusher-js over %s', (transport) => {
  it('authorises a private channel and delivers an SDK trigger, then shuts down cleanly', async () => {
    const tether = createTetherServer({ apps: [{ id: 'app-id', key: 'app-key', secret: 'app-secret' }] });
    const app = express();
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sdk = new Pusher({
      appId: 'app-id',
      key: 'app-key',
      secret: 'app-secret',
      host: '127.0.0.1',
      port: String(port),
    });
    app.use(tether.router());
    app.post('/pusher/auth', express.urlencoded({ extended: false }), (req, res) => {
      const body = req.body as { socket_id: string; channel_name: string };
      res.json(sdk.authorizeChannel(body.socket_id, body.channel_name));
    });
    tether.attach(server);

    const clients = new PusherJsClients();
    try {
      const pusher = clients.create({
        port,
        transport,
        options: {
          channelAuthorization: { endpoint: `http://127.0.0.1:${port}/pusher/auth`, transport: 'ajax' },
        },
      });
      const channel = pusher.subscribe('private-quickstart');
      await nextEvent(channel, 'pusher:subscription_succeeded');
      const got = nextEvent(channel, 'hello');
      await sdk.trigger('private-quickstart', 'hello', { from: 'README' });
      expect((await got).data).toEqual({ from: 'README' });
      await tether.close();
      expect(tether.connectionCount).toBe(0);
    } finally {
      clients.disconnectAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
