import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { BENCH_ROOT } from '../process/bench-child.js';
import type { BundleSize } from './bench-result.js';

const REPO_ROOT = join(BENCH_ROOT, '..', '..');

export const bundleDefaults = {
  /** Building the client's browser bundle when it is missing. */
  buildTimeoutMs: 180_000,
  /** gzip -9, as bundle-size badges report it. */
  gzipLevel: constants.Z_BEST_COMPRESSION,
} as const;

interface BundleSource {
  name: string;
  /** Absolute path of the minified browser bundle. */
  path: string;
  /** package.json whose version is reported. */
  packageJson: string;
}

const TETHER_BUNDLE = join(REPO_ROOT, 'packages', 'client', 'dist', 'browser', 'tether.min.mjs');

/** The minified browser bundles compared: ours, and the incumbents' as installed in node_modules. */
export const bundleSources: readonly BundleSource[] = [
  {
    name: '@tether/client',
    path: TETHER_BUNDLE,
    packageJson: join(REPO_ROOT, 'packages', 'client', 'package.json'),
  },
  {
    name: 'pusher-js',
    path: join(BENCH_ROOT, 'node_modules', 'pusher-js', 'dist', 'web', 'pusher.min.js'),
    packageJson: join(BENCH_ROOT, 'node_modules', 'pusher-js', 'package.json'),
  },
  {
    name: 'socket.io-client',
    path: join(BENCH_ROOT, 'node_modules', 'socket.io-client', 'dist', 'socket.io.min.js'),
    packageJson: join(BENCH_ROOT, 'node_modules', 'socket.io-client', 'package.json'),
  },
];

function versionOf(packageJson: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
    const version =
      typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Builds @tether/client when its browser bundle is missing; the reason when that fails. */
export function ensureTetherBundle(log: (line: string) => void): string | undefined {
  if (existsSync(TETHER_BUNDLE)) return undefined;
  log('building @tether/client (its browser bundle is missing)…');
  const result = spawnSync('pnpm', ['--filter', '@tether/client', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: bundleDefaults.buildTimeoutMs,
  });
  if (result.status === 0 && existsSync(TETHER_BUNDLE)) return undefined;
  const output = `${result.stderr}${result.stdout}`.trim().split('\n').slice(-3).join(' ');
  return `build failed (${result.error?.message ?? `exit ${result.status ?? '?'}`}): ${output}`;
}

/** Raw and gzipped sizes of each bundle; a missing file is reported with why. */
export function measureBundles(
  sources: readonly BundleSource[] = bundleSources,
  notes: ReadonlyMap<string, string> = new Map(),
): BundleSize[] {
  return sources.map((source) => {
    const version = versionOf(source.packageJson);
    const name = version === undefined ? source.name : `${source.name}@${version}`;
    const path = relative(REPO_ROOT, source.path);
    if (!existsSync(source.path)) return { name, path, note: notes.get(source.name) ?? 'not found' };
    const bytes = readFileSync(source.path);
    return {
      name,
      path,
      rawBytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: bundleDefaults.gzipLevel }).length,
    };
  });
}
