// Type-checks every package against its own tsconfig, so each package sees only what its paths allow.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const projects = [
  // *.build.json: a package's shipped source alone, with only the platform types it may use.
  'packages/protocol/tsconfig.build.json',
  'packages/protocol/tsconfig.json',
  'packages/server/tsconfig.json',
  'packages/client/tsconfig.build.json',
  'packages/client/tsconfig.json',
  'packages/e2e/tsconfig.json',
  'packages/bench/tsconfig.json',
  'examples/chat/tsconfig.json',
].filter((p) => existsSync(p) && hasTypeScript(dirname(p)));

/** A package with no TypeScript yet has nothing to check (tsc would fail with "no inputs"). */
function hasTypeScript(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? hasTypeScript(path) : entry.name.endsWith('.ts')) return true;
  }
  return false;
}

const tsc = 'node_modules/typescript/bin/tsc';
let failed = 0;
for (const project of projects) {
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--pretty'], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`typecheck failed: ${project}`);
  }
}
if (failed > 0) process.exit(1);
console.log(`typecheck: ${projects.length} projects clean`);
