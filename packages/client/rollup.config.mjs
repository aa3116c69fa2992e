// @tether/client's builds (run from this folder: `rollup -c rollup.config.mjs`):
//  - Node:     dist/node.mjs + dist/node.cjs (+ .d.ts / .d.cts) from src/node.ts; ws, eventsource and
//              @tether/protocol stay external (they are dependencies).
//  - Neutral:  dist/index.mjs + dist/index.cjs (+ .d.ts / .d.cts) from src/index.ts (browser globals,
//              unminified) for bundlers and runtimes that match neither `node` nor `browser`.
//  - Browser:  dist/browser/tether.min.mjs (ESM) and dist/browser/tether.umd.min.js (UMD, global
//              `Tether`), minified, @tether/protocol bundled in, no Node code (the build fails if any
//              node: or Node-only import reaches them). Minified in two steps, for the smallest gzip:
//              esbuild strips types and gives identifiers (`#private` names too) short, frequency-ordered
//              names, then swc compresses with the options in browser-minify.json (which
//              test/bundle-size.test.ts uses as well).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { minify as swcMinify } from '@swc/core';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const isNodeBuiltin = (id) => id.startsWith('node:') || builtinModules.includes(id);
const external = (id) => isNodeBuiltin(id) || deps.some((d) => id === d || id.startsWith(`${d}/`));

const protocolSource = fileURLToPath(new URL('../protocol/src/index.ts', import.meta.url));
const target = 'es2022';

/** Browser bundles carry @tether/protocol from source and refuse anything Node-only. */
const browserOnly = {
  name: 'tether-browser-only',
  resolveId(id, importer) {
    if (id === '@tether/protocol') return protocolSource;
    if (isNodeBuiltin(id) || id === 'ws' || id === 'eventsource') {
      this.error(`browser bundle must not import "${id}" (from ${importer ?? 'the entry'})`);
    }
    return null;
  },
};

/** ESM + CJS + declarations for one entry. */
function libraryBuild(input, name) {
  return [
    {
      input,
      external,
      plugins: [esbuild({ target, tsconfig: 'tsconfig.build.json' })],
      output: [
        { file: `dist/${name}.mjs`, format: 'es', sourcemap: true },
        { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: 'tsconfig.json' })],
      output: [
        { file: `dist/${name}.d.ts`, format: 'es' },
        { file: `dist/${name}.d.cts`, format: 'es' },
      ],
    },
  ];
}

const minifyOptions = JSON.parse(readFileSync(new URL('./browser-minify.json', import.meta.url), 'utf8'));

/** Minifies each browser chunk with swc, the minifier whose output gzips smallest here. */
const swcMinifyChunk = {
  name: 'tether-swc-minify',
  async renderChunk(code, _chunk, output) {
    const result = await swcMinify(code, {
      ...minifyOptions,
      module: output.format === 'es',
      sourceMap: true,
    });
    return { code: result.code, map: result.map ?? null };
  },
};

const browserPlugins = () => [
  browserOnly,
  esbuild({ target, tsconfig: 'tsconfig.build.json', minifyIdentifiers: true }),
  swcMinifyChunk,
];

export default [
  ...libraryBuild('src/node.ts', 'node'),
  ...libraryBuild('src/index.ts', 'index'),
  {
    input: 'src/index.ts',
    plugins: browserPlugins(),
    output: { file: 'dist/browser/tether.min.mjs', format: 'es', sourcemap: true },
  },
  {
    input: 'src/umd.ts',
    plugins: browserPlugins(),
    output: {
      file: 'dist/browser/tether.umd.min.js',
      format: 'umd',
      name: 'Tether',
      exports: 'default',
      sourcemap: true,
    },
  },
];
