import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDefaults, parseCliOptions } from './cli-options.js';

describe('parseCliOptions', () => {
  it('defaults to port 6001 on 0.0.0.0 with the default app', () => {
    expect(parseCliOptions([], {})).toEqual({
      ok: true,
      options: {
        port: 6001,
        host: '0.0.0.0',
        apps: [{ id: 'app-id', key: 'app-key', secret: 'app-secret', clientEvents: true }],
        activityTimeoutSeconds: cliDefaults.activityTimeoutSeconds,
        drainMs: cliDefaults.drainMs,
      },
    });
  });

  it('flags win over env vars', () => {
    const parsed = parseCliOptions(['--port', '7000', '--app-key', 'flag-key', '--client-events', 'off'], {
      TETHER_PORT: '8000',
      TETHER_APP_KEY: 'env-key',
      TETHER_APP_SECRET: 'env-secret',
      TETHER_HOST: '127.0.0.1',
    });
    expect(parsed).toMatchObject({
      ok: true,
      options: {
        port: 7000,
        host: '127.0.0.1',
        apps: [{ key: 'flag-key', secret: 'env-secret', clientEvents: false }],
      },
    });
  });

  it('reads apps, port and host from a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-cli-'));
    const file = join(dir, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({ apps: [{ id: '1', key: 'k', secret: 's' }], port: 9000, host: '::1' }),
    );
    expect(parseCliOptions(['--config', file], {})).toMatchObject({
      ok: true,
      options: { port: 9000, host: '::1', apps: [{ key: 'k' }] },
    });
  });

  it('reports bad values instead of throwing', () => {
    expect(parseCliOptions(['--port', 'abc'], {})).toMatchObject({
      ok: false,
      error: expect.stringContaining('port'),
    });
    expect(parseCliOptions(['--activity-timeout', '0'], {})).toMatchObject({ ok: false });
    expect(parseCliOptions(['--client-events', 'maybe'], {})).toMatchObject({ ok: false });
    expect(parseCliOptions(['--nope'], {})).toMatchObject({ ok: false });
    expect(parseCliOptions(['--config', '/does/not/exist.json'], {})).toMatchObject({
      ok: false,
      error: expect.stringContaining('config'),
    });
    expect(parseCliOptions(['--help'], {})).toEqual({ ok: false, help: true });
  });
});
