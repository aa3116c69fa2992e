/**
 * Target process: Tether from @tether/server source (through tsx), mounted as an app would mount it:
 * `attach()` for WebSocket upgrades, `router()` in an express app for the HTTP API, SSE and long-poll.
 * One app with the bench credentials; client events unlimited so the publisher is never rate-limited.
 */
import express from 'express';
import { createTetherServer } from '@tether/server';
import { runTarget } from './target-process.js';
import { tetherBenchApp } from './tether-bench-app.js';

await runTarget((server) => {
  const tether = createTetherServer({
    apps: [{ ...tetherBenchApp, clientEvents: true, maxClientEventsPerSecond: 0 }],
  });
  const app = express();
  app.use(tether.router());
  server.on('request', app);
  tether.attach(server);
});
