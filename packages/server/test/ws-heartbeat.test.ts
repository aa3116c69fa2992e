import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from './support/test-server.js';

let server: TestServer | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
  server = undefined;
});

function open(
  s: TestServer,
  autoPong: boolean,
): Promise<{ socket: WebSocket; pings: () => number; closed: Promise<number> }> {
  const socket = new WebSocket(s.wsUrl('/app/app-key?protocol=7'), { autoPong });
  sockets.push(socket);
  let pings = 0;
  socket.on('ping', () => (pings += 1));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('message', () => resolve({ socket, pings: () => pings, closed }));
    socket.once('error', reject);
  });
}

describe('server heartbeat', () => {
  it('a peer that does not answer protocol pings is closed with 4201', async () => {
    server = await startServer({ heartbeatIntervalMs: 50, pongTimeoutMs: 100, closeGraceMs: 100 });
    const silent = await open(server, false);
    expect(await silent.closed).toBe(4201);
    expect(silent.pings()).toBeGreaterThanOrEqual(1);
  });

  it('a peer that answers stays connected across several pings', async () => {
    server = await startServer({ heartbeatIntervalMs: 30, pongTimeoutMs: 100 });
    const alive = await open(server, true);
    await new Promise<void>((resolve) => {
      alive.socket.on('ping', () => {
        if (alive.pings() >= 5) resolve();
      });
    });
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
  });
});
