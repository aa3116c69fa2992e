import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startFaultProxy, type FaultProxy } from '../src/fault-proxy.js';

/** The proxy's own contract, against a plain HTTP + echoing WebSocket server on 127.0.0.1:0. */

let target: Server;
let wss: WebSocketServer;
let proxy: FaultProxy;

beforeEach(async () => {
  target = createServer((_req, res) => res.end('hello over http'));
  wss = new WebSocketServer({ server: target });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy({
    target: { host: '127.0.0.1', port: (target.address() as AddressInfo).port },
  });
});

afterEach(async () => {
  await proxy.close();
  for (const client of wss.clients) client.terminate();
  wss.close();
  target.closeAllConnections();
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

const get = async (): Promise<string> => (await fetch(`${proxy.url}/`)).text();

/** Opens a WebSocket through the proxy; resolves once it is open (or rejects with how it failed). */
function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${proxy.wsUrl}/`);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', (error) => reject(error));
  });
}

const closeOf = (socket: WebSocket): Promise<{ code: number; at: number }> =>
  new Promise((resolve) => socket.once('close', (code) => resolve({ code, at: Date.now() })));

const echo = (socket: WebSocket, text: string): Promise<string> =>
  new Promise((resolve) => {
    socket.once('message', (data) => resolve((data as Buffer).toString('utf8')));
    socket.send(text);
  });

describe('fault proxy', () => {
  it('pass: HTTP and WebSocket go through unchanged, and are counted', async () => {
    expect(await get()).toBe('hello over http');
    const socket = await openSocket();
    expect(await echo(socket, 'ping')).toBe('ping');
    socket.close();
    expect(proxy.connections()).toMatchObject({ http: 1, upgrades: { seen: 1, blocked: 0, dropped: 0 } });
  });

  it('block-websocket: HTTP passes, an upgrade gets 403 (or a reset) and never opens', async () => {
    proxy.setMode('block-websocket');
    await expect(openSocket()).rejects.toThrow('HTTP 403');
    expect(await get()).toBe('hello over http');
    proxy.setMode({ kind: 'block-websocket', response: 'reset' });
    await expect(openSocket()).rejects.toThrow(/ECONNRESET|socket hang up/);
    expect(proxy.connections().upgrades).toEqual({ seen: 2, blocked: 2, dropped: 0 });
    expect(wss.clients.size).toBe(0);
  });

  it('drop-websocket-after: the upgrade passes, then the connection dies without a close frame (1006)', async () => {
    proxy.setMode({ kind: 'drop-websocket-after', afterMs: 300 });
    const opened = Date.now();
    const socket = await openSocket();
    expect(await echo(socket, 'still here')).toBe('still here');
    const close = await closeOf(socket);
    expect(close.code).toBe(1006);
    expect(close.at - opened).toBeGreaterThanOrEqual(250);
    expect(proxy.connections().upgrades.dropped).toBe(1);
    expect(await get()).toBe('hello over http');
  });

  it('drop-idle: a quiet connection is cut after idleMs; a chatty one lives on', async () => {
    proxy.setMode({ kind: 'drop-idle', idleMs: 400 });
    const quiet = await openSocket();
    const chatty = await openSocket();
    const quietClose = closeOf(quiet);
    let chattyClosed = false;
    chatty.once('close', () => (chattyClosed = true));
    const timer = setInterval(() => chatty.send('.'), 100);
    expect((await quietClose).code).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 400));
    clearInterval(timer);
    expect(chattyClosed).toBe(false);
    expect(proxy.connections().idleDropped).toBe(1);
    chatty.close();
  });

  it('refuse-all: cuts what is open and resets every new connection, until switched back', async () => {
    const socket = await openSocket();
    const closed = closeOf(socket);
    proxy.setMode('refuse-all');
    expect((await closed).code).toBe(1006);
    await expect(get()).rejects.toThrow();
    await expect(openSocket()).rejects.toThrow();
    expect(proxy.connections().refused).toBeGreaterThanOrEqual(3);
    proxy.setMode('pass');
    expect(await get()).toBe('hello over http');
  });

  it('dropAll: a network blip cuts every open connection; new ones still work', async () => {
    const socket = await openSocket();
    const closed = closeOf(socket);
    proxy.dropAll();
    expect((await closed).code).toBe(1006);
    expect(proxy.connections().open).toBe(0);
    const again = await openSocket();
    expect(await echo(again, 'back')).toBe('back');
    again.close();
  });
});
