import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The browser bundle's contract, checked cheaply: bundle the UMD entry in memory for the browser
 * platform (as rollup does for dist/browser, minus minification) and run it in a bare VM context.
 */
const fromHere = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

async function bundleUmdEntry(): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [fromHere('../src/umd.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'TetherBundle',
    target: 'es2022',
    tsconfig: fromHere('../tsconfig.build.json'),
    alias: { '@tether/protocol': fromHere('../../protocol/src/index.ts') },
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  return { code: output.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('browser bundle (src/umd.ts)', () => {
  it('pulls in no Node module and no Node-only dependency', async () => {
    const { inputs } = await bundleUmdEntry();
    expect(inputs.length).toBeGreaterThan(10);
    expect(
      inputs.filter(
        (input) => input.startsWith('node:') || /node_modules|node-platform|src\/node\.ts/.test(input),
      ),
    ).toEqual([]);
    expect(inputs.some((input) => input.includes('protocol/src'))).toBe(true);
  });

  it('exposes the Tether class, which runs in a scope with no Node globals and no WebSocket', async () => {
    const { code } = await bundleUmdEntry();
    const scope: Record<string, unknown> = { setTimeout, clearTimeout };
    runInNewContext(`${code};\nglobalThis.Tether = TetherBundle.default;`, scope);
    const Tether = scope['Tether'] as new (key: string, options: object) => { connection: { state: string } };
    expect(typeof Tether).toBe('function');
    const client = new Tether('app-key', { host: 'example.test', autoConnect: false });
    expect(client.connection.state).toBe('initialized');
  });
});
