// Loads the bench's TypeScript (and the workspace packages' source) in benchmark child processes the
// way the packages ship: esbuild with the build's target and no `keepNames`. tsx keeps function names
// by wrapping every named closure (`__name(fn, "x")`), which gives each per-connection closure its own
// property array and inflates the memory per connection the bench measures.
//
// Use: node --import ./ts-loader.mjs entry.ts
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/** The tsconfig paths of this package: workspace packages from source. */
const WORKSPACE_SOURCES = {
  '@tether/protocol': '../protocol/src/index.ts',
  '@tether/server': '../server/src/index.ts',
  '@tether/client': '../client/src/node.ts',
};
/** What the packages' rollup build targets (rollup.package.mjs). */
const BUILD_TARGET = 'es2022';

if (isMainThread) register(import.meta.url);

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  const source = WORKSPACE_SOURCES[specifier];
  if (source !== undefined) return { url: new URL(source, import.meta.url).href, shortCircuit: true };
  if (
    specifier.endsWith('.js') &&
    (specifier.startsWith('.') || specifier.startsWith('/')) &&
    context.parentURL?.endsWith('.ts')
  ) {
    const candidate = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

let esbuild;

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  esbuild ??= await import('esbuild');
  const path = fileURLToPath(url);
  const { code } = await esbuild.transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: BUILD_TARGET,
    sourcefile: path,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
