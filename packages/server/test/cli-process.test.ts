import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAppSdk } from './support/test-server.js';
import { privateAuth, WsTestClient } from './support/ws-test-client.js';

const bin = fileURLToPath(new URL('../bin/tether-server.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];
const clients: WsTestClient[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      // Detached children lead their own process group (pnpm and the node it runs).
      if (child.spawnargs[0] === 'pnpm') process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // Already gone between the check and the kill.
    }
  }
});

/** Spawns the CLI (directly, or as `pnpm tether-server` from the repo root) and resolves with the port it printed. */
function startCli(
  args: string[],
  env: Record<string, string> = {},
  via: 'node' | 'pnpm' = 'node',
): Promise<{ child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> }> {
  const cliArgs = ['--host', '127.0.0.1', '--port', '0', ...args];
  const child =
    via === 'node'
      ? spawn(process.execPath, [bin, ...cliArgs], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn('pnpm', ['tether-server', ...cliArgs], {
          cwd: repoRoot,
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
  });
}

describe('tether-server CLI', () => {
  it('serves the default app with no build and drains with 4200 then exits 0 on SIGTERM', async () => {
    const cli = await startCli([]);
    const { client, socketId } = await WsTestClient.connect(
      `ws://127.0.0.1:${cli.port}/app/app-key?protocol=7`,
    );
    clients.push(client);
    expect(socketId).toMatch(/^\d+\.\d+$/);
    cli.child.kill('SIGTERM');
    expect((await client.closed).code).toBe(4200);
    expect(await cli.exited).toBe(0);
  });

  it('answers publishes ahead of its own express app (apiFirst) and every other API call through it', async () => {
    const cli = await startCli([]);
    const sdk = defaultAppSdk(cli.port);
    const published = await sdk.trigger('news', 'ev', {});
    expect(published.status).toBe(200);
    expect(published.headers.get('x-powered-by')).toBeNull();
    const listed = await sdk.get({ path: '/channels' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('x-powered-by')).toBe('Express');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('takes apps from --config and flags from TETHER_* env vars', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-cli-'));
    const config = join(dir, 'apps.json');
    writeFileSync(config, JSON.stringify({ apps: [{ id: '7', key: 'file-key', secret: 'file-secret' }] }));
    const cli = await startCli(['--config', config], { TETHER_ACTIVITY_TIMEOUT: '42' });
    const client = await WsTestClient.open(`ws://127.0.0.1:${cli.port}/app/file-key?protocol=7`);
    clients.push(client);
    expect(((await client.next()).parsed as { activity_timeout: number }).activity_timeout).toBe(42);
    const refused = await WsTestClient.open(`ws://127.0.0.1:${cli.port}/app/app-key?protocol=7`);
    clients.push(refused);
    expect((await refused.closed).code).toBe(4001);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('runs as `pnpm tether-server` from the repo root, honours TETHER_CLIENT_EVENTS=off, and drains on Ctrl-C', async () => {
    const cli = await startCli([], { TETHER_CLIENT_EVENTS: 'off' }, 'pnpm');
    const { client, socketId } = await WsTestClient.connect(
      `ws://127.0.0.1:${cli.port}/app/app-key?protocol=7`,
    );
    clients.push(client);
    await client.subscribe('private-chat', {
      auth: privateAuth('app-key', 'app-secret', socketId, 'private-chat'),
    });
    client.send({ event: 'client-typing', channel: 'private-chat', data: {} });
    expect((await client.next((m) => m.event === 'pusher:error')).parsed).toMatchObject({
      message: expect.stringContaining('disabled'),
    });
    // Ctrl-C in a terminal signals the whole foreground group: pnpm and the server it runs.
    process.kill(-cli.child.pid!, 'SIGINT');
    expect((await client.closed).code).toBe(4200);
    await cli.exited;
    expect(cli.output()).toContain('app id=app-id key=app-key');
    expect(cli.output()).toContain('draining connections');
  });
});
