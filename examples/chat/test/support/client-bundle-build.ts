import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_BUNDLE, findClientBundle } from '../../src/client-bundle.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A cold `pnpm --filter @tether/client build` takes about 30 s on a 2-core machine. */
export const BUNDLE_BUILD_TIMEOUT_MS = 150_000;

/** The private pnpm `npm test` installs under .tools/ when none is on PATH (scripts/tether.mjs), else pnpm on PATH. */
function pnpmCommand(): { cmd: string; args: string[] } {
  const privatePnpm = join(REPO_ROOT, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  if (existsSync(privatePnpm)) return { cmd: process.execPath, args: [privatePnpm] };
  return { cmd: 'pnpm', args: [] };
}

/**
 * The page loads the client's real browser bundle, so the tests need it built. When dist/browser is
 * missing (a fresh clone) it is built once with `pnpm --filter @tether/client build`; a failed build
 * fails loudly. An existing bundle is used as it is: rebuild it after changing the client.
 */
export function ensureClientBundle(): string {
  const found = findClientBundle();
  if (found === undefined)
    throw new Error('@tether/client is not installed next to the chat example: run pnpm install');
  if (found.built) return found.dir;
  const pnpm = pnpmCommand();
  const result = spawnSync(pnpm.cmd, [...pnpm.args, '--filter', '@tether/client', 'build'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    timeout: BUNDLE_BUILD_TIMEOUT_MS,
  });
  if (result.error !== undefined)
    throw new Error(`could not run pnpm to build @tether/client: ${result.error.message}`);
  if (result.status !== 0 || findClientBundle()?.built !== true) {
    throw new Error(
      `building @tether/client did not produce ${CLIENT_BUNDLE.dir}/${CLIENT_BUNDLE.umd} (exit ${String(result.status)})`,
    );
  }
  return found.dir;
}
