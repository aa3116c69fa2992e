#!/usr/bin/env node
// In this repository (src/ present) runs the TypeScript source through tsx, so it never lags behind a
// stale build; in an installed package (only dist/ ships) runs the built CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli.ts', import.meta.url);
let cli;
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  // The package tsconfig maps @tether/protocol to its source, so no package needs building first.
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  cli = await import(source.href);
} else {
  cli = await import(new URL('../dist/cli.mjs', import.meta.url).href);
}
await cli.runCli(process.argv.slice(2), process.env);
