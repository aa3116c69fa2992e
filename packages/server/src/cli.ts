import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { CLI_USAGE, parseCliOptions } from './cli-options.js';
import { createTetherServer } from './server.js';

export interface CliIo {
  log(line: string): void;
  error(line: string): void;
  exit(code: number): void;
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
}

const processIo: CliIo = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => process.on(signal, handler),
};

/** Extra time after the drain bound for the HTTP server itself to close before exiting anyway. */
const EXIT_GRACE_MS = 1_000;

/**
 * `tether-server`: an http.Server + express app with Tether mounted. Prints where it listens; on
 * SIGINT/SIGTERM drains (close 4200 to every client) and exits 0 within drain-ms + a grace period.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo = processIo,
): Promise<void> {
  const parsed = parseCliOptions(argv, env);
  if (!parsed.ok) {
    if (parsed.error !== undefined) io.error(`tether-server: ${parsed.error}`);
    io.log(CLI_USAGE);
    io.exit(parsed.help ? 0 : 2);
    return;
  }
  const { port, host, apps, activityTimeoutSeconds, drainMs, redisUrl, redisKeyPrefix } = parsed.options;
  const tether = createTetherServer({ apps, activityTimeoutSeconds, drainMs, redisUrl, redisKeyPrefix });
  const app = express();
  app.use(tether.router());
  const server = createServer(app);
  // Nothing of ours sits in front of Tether here, so its busiest routes skip express (see attach).
  tether.attach(server, { fallbacksFirst: true, apiFirst: true });
  tether.on('error', ({ error, context }) =>
    io.error(`tether-server: ${context}: ${error instanceof Error ? error.message : String(error)}`),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  }).catch((error: unknown) => {
    io.error(
      `tether-server: cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
    );
    io.exit(1);
  });
  if (!server.listening) return;
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  io.log(
    `tether-server listening on http://${shown}:${address.port} (ws://${shown}:${address.port}/app/{key})`,
  );
  for (const entry of tether.apps.all()) io.log(`  app id=${entry.id} key=${entry.key}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    io.log('tether-server: draining connections');
    const hardExit = setTimeout(() => io.exit(0), drainMs + EXIT_GRACE_MS);
    hardExit.unref();
    void tether
      .close({ drainMs })
      .catch((error: unknown) => io.error(`tether-server: drain failed: ${String(error)}`))
      .finally(() => {
        server.closeAllConnections();
        server.close(() => {
          clearTimeout(hardExit);
          io.exit(0);
        });
      });
  };
  io.onSignal('SIGINT', stop);
  io.onSignal('SIGTERM', stop);
}
