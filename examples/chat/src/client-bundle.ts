import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The files of @tether/client's browser build the page loads from `/vendor/`. */
export const CLIENT_BUNDLE = {
  dir: join('dist', 'browser'),
  umd: 'tether.umd.min.js',
  esm: 'tether.min.mjs',
} as const;

export interface ClientBundle {
  /** `<@tether/client>/dist/browser` */
  dir: string;
  /** The UMD file exists (the client has been built). */
  built: boolean;
}

/**
 * Finds @tether/client's browser build the way Node finds the package: through the node_modules
 * directories above this file. (The package's `exports` do not list package.json, so it cannot be
 * `require.resolve`d; its folder can.)
 */
export function findClientBundle(from: string = import.meta.url): ClientBundle | undefined {
  const require = createRequire(from);
  for (const modules of require.resolve.paths('@tether/client') ?? []) {
    const packageDir = join(modules, '@tether', 'client');
    if (!existsSync(join(packageDir, 'package.json'))) continue;
    return bundleAt(join(packageDir, CLIENT_BUNDLE.dir));
  }
  return undefined;
}

export const bundleAt = (dir: string): ClientBundle => ({
  dir,
  built: existsSync(join(dir, CLIENT_BUNDLE.umd)),
});
