/**
 * Target process: Tether from @tether/server source (through tsx), mounted as an app would mount it:
 * `attach()` for WebSocket upgrades, `router()` in an express app for the HTTP API, SSE and long-poll.
 * One app with the bench credentials; client events unlimited so the publisher is never rate-limited.
 *
 * With `--redis-url=… --redis-prefix=…` it is one node of a cluster (`createTetherServer({ redisUrl,
 * redisKeyPrefix })`, as an app scales out) and announces itself ready only once its Redis adapter is
 * registered: a node that cannot reach Redis would serve its own clients only, so it exits instead.
 */
import express from 'express';
import { createTetherServer, RedisAdapter } from '@tether/server';
import { runTarget } from './target-process.js';
import { tetherBenchApp } from './tether-bench-app.js';
import { RedisTargetArg } from './target-spec.js';

const argValue = (prefix: string): string | undefined =>
  process.argv
    .slice(2)
    .find((arg) => arg.startsWith(prefix))
    ?.slice(prefix.length);

const redisUrl = argValue(RedisTargetArg.Url);
const redisKeyPrefix = argValue(RedisTargetArg.Prefix);
if ((redisUrl === undefined) !== (redisKeyPrefix === undefined))
  throw new Error(`tether target: give both ${RedisTargetArg.Url} and ${RedisTargetArg.Prefix}, or neither`);

await runTarget(async (server) => {
  const tether = createTetherServer({
    apps: [{ ...tetherBenchApp, clientEvents: true, maxClientEventsPerSecond: 0 }],
    ...(redisUrl !== undefined && redisKeyPrefix !== undefined ? { redisUrl, redisKeyPrefix } : {}),
  });
  if (redisUrl !== undefined) {
    if (!(tether.adapter instanceof RedisAdapter)) throw new Error('tether target: no Redis adapter');
    // A Redis error mid-run costs deliveries across nodes: say so on the orchestrator's stderr.
    tether.on('error', ({ error, context }) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`tether cluster node ${process.pid}: ${context}: ${reason}\n`);
    });
    // Rejects after the adapter's ready timeout when Redis does not answer: the process exits before ready.
    await tether.adapter.whenReady();
  }
  const app = express();
  app.use(tether.router());
  server.on('request', app);
  // As the server README recommends for HTTP-fallback-heavy and HTTP-publish-heavy loads: polls, streams
  // and the SDK's publishes (`POST /apps/:id/events`, `/batch_events`) skip express.
  tether.attach(server, { fallbacksFirst: true, apiFirst: true });
});
