// Shared rollup config for a workspace package: ESM + CJS from src/index.ts plus one bundled .d.ts.
// Run from the package folder (`rollup -c ../../rollup.package.mjs`).
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const external = (id) =>
  id.startsWith('node:') ||
  builtinModules.includes(id) ||
  deps.some((d) => id === d || id.startsWith(`${d}/`));

/** @param {string} input @param {string} name */
export function packageBuild(input = 'src/index.ts', name = 'index') {
  return [
    {
      input,
      external,
      plugins: [
        esbuild({
          target: 'es2022',
          tsconfig: existsSync('tsconfig.build.json') ? 'tsconfig.build.json' : 'tsconfig.json',
        }),
      ],
      output: [
        { file: `dist/${name}.mjs`, format: 'es', sourcemap: true },
        { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    {
      input,
      external,
      plugins: [
        dts({ tsconfig: existsSync('tsconfig.build.json') ? 'tsconfig.build.json' : 'tsconfig.json' }),
      ],
      output: { file: `dist/${name}.d.ts`, format: 'es' },
    },
  ];
}

export default packageBuild();
