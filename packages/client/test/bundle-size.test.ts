import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { constants, gzipSync } from 'node:zlib';
import { minify, type JsMinifyOptions } from '@swc/core';
import { build, type Format } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The size budget of the browser bundle (issue 7: smaller than pusher-js's). Built in memory the way
 * rollup.config.mjs builds dist/browser: esbuild bundles src/index.ts with @tether/protocol from
 * source and renames identifiers, swc minifies with browser-minify.json; gzip -9 as the benchmark
 * measures it (packages/bench/src/report/bundle-sizes.ts).
 */
const fromHere = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const minifyOptions = JSON.parse(readFileSync(fromHere('../browser-minify.json'), 'utf8')) as JsMinifyOptions;
const gzipBytes = (code: string | Buffer): number =>
  gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length;

async function minifiedBundle(entry: string, format: Format): Promise<string> {
  const result = await build({
    entryPoints: [fromHere(entry)],
    bundle: true,
    write: false,
    platform: 'browser',
    format,
    ...(format === 'iife' ? { globalName: 'TetherBundle' } : {}),
    target: 'es2022',
    tsconfig: fromHere('../tsconfig.build.json'),
    alias: { '@tether/protocol': fromHere('../../protocol/src/index.ts') },
    minifyIdentifiers: true,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  return (await minify(output.text, { ...minifyOptions, module: format === 'esm' })).code;
}

describe('browser bundle size', () => {
  it('gzips smaller than pusher-js 8 minified browser bundle', async () => {
    const tether = gzipBytes(await minifiedBundle('../src/index.ts', 'esm'));
    const pusherPath = createRequire(import.meta.url).resolve('pusher-js/dist/web/pusher.min.js');
    const pusher = gzipBytes(readFileSync(pusherPath));
    expect(pusher).toBeGreaterThan(10_000);
    expect({ tether, pusher, under: tether < pusher }).toMatchObject({ under: true });
  });

  it('still works once minified: over a fake WebSocket it connects, subscribes and delivers an event', async () => {
    const code = await minifiedBundle('../src/umd.ts', 'iife');
    const sockets: FakeSocket[] = [];
    class FakeSocket {
      readyState = 0;
      readonly sent: string[] = [];
      onopen: (() => void) | null = null;
      onmessage: ((event: { data: string }) => void) | null = null;
      constructor(readonly url: string) {
        sockets.push(this);
      }
      send(frame: string): void {
        this.sent.push(frame);
      }
      close(): void {
        this.readyState = 3;
      }
      receive(event: string, data: object, channel?: string): void {
        this.onmessage?.({
          data: JSON.stringify({ event, data: JSON.stringify(data), ...(channel ? { channel } : {}) }),
        });
      }
    }
    const scope: Record<string, unknown> = { setTimeout, clearTimeout, WebSocket: FakeSocket };
    runInNewContext(`${code};\nglobalThis.Tether = TetherBundle.default;`, scope);
    const Tether = scope['Tether'] as new (
      key: string,
      options: object,
    ) => {
      connection: { state: string };
      subscribe(name: string): {
        subscribed: boolean;
        bind(event: string, listener: (context: { data: unknown }) => void): void;
      };
      disconnect(): void;
    };
    const client = new Tether('app-key', { host: 'example.test', enabledTransports: ['websocket'] });
    const socket = sockets[0];
    expect(socket?.url).toMatch(/^ws:\/\/example\.test\/app\/app-key\?protocol=7&/);
    if (!socket) return;
    socket.readyState = 1;
    socket.onopen?.();
    socket.receive('pusher:connection_established', { socket_id: '1.2', activity_timeout: 120 });
    expect(client.connection.state).toBe('connected');
    const channel = client.subscribe('news');
    expect(socket.sent.map((frame) => JSON.parse(frame) as unknown)).toContainEqual({
      event: 'pusher:subscribe',
      data: { channel: 'news', auth: '' },
    });
    const seen: unknown[] = [];
    channel.bind('headline', ({ data }) => seen.push(data));
    socket.receive('pusher_internal:subscription_succeeded', {}, 'news');
    socket.receive('headline', { text: 'hi' }, 'news');
    expect(channel.subscribed).toBe(true);
    expect(seen).toEqual([{ text: 'hi' }]);
    client.disconnect();
    expect(client.connection.state).toBe('disconnected');
  });
});
