import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeFrame, PusherEvent } from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { nextConnectionEvent, recordConnectionEvents, TetherClients } from '../src/tether-clients.js';

/**
 * Close-code actions on real sockets, against a scripted server that answers every handshake the
 * same way (the real server never does: it drains with 4200 once, and refuses while draining with
 * 4100). The client runs with its default retry pacing here: that pacing is what is under test.
 */

let http: Server;
let wss: WebSocketServer;
let port: number;
/** When each connection arrived (Date.now()). */
let arrivals: number[];
let answer: { code: number; message: string };
const clients = new TetherClients();

/** Backoff and immediate-retry pacing as shipped (TetherClients shrinks them for other tests). */
const SHIPPED_PACING = { backoffMinMs: 1_000, backoffBaseMs: 1_000, backoffCapMs: 30_000 } as const;
const OBSERVE_MS = 2_500;
/** Timers may fire a millisecond or two off the clock the test reads. */
const TIMER_SLACK_MS = 20;

beforeEach(async () => {
  arrivals = [];
  http = createServer();
  wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => {
    arrivals.push(Date.now());
    socket.send(
      encodeFrame({ event: PusherEvent.Error, data: { code: answer.code, message: answer.message } }),
    );
    socket.close(answer.code, answer.message);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
});

afterEach(async () => {
  clients.disconnectAll();
  for (const socket of wss.clients) socket.terminate();
  wss.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

describe('@tether/client close-code actions on real sockets', () => {
  it('4200 answered to every handshake: the first retry is immediate, then they are spaced out (a handful, not hundreds)', async () => {
    answer = { code: 4200, message: 'Reconnect' };
    const started = Date.now();
    const tether = clients.create(port, { ...SHIPPED_PACING, enabledTransports: ['websocket'] });
    const errors = recordConnectionEvents(tether, 'error');
    await new Promise((resolve) => setTimeout(resolve, OBSERVE_MS));
    tether.disconnect();
    const elapsed = Date.now() - started;
    // 0, 250, 500, 1000 ms spacing: 4–5 attempts in 2.5 s (a tight loop would make thousands).
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    expect(arrivals.length).toBeLessThanOrEqual(6);
    expect(arrivals.length / (elapsed / 1000)).toBeLessThan(3);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? at));
    expect(gaps[0]).toBeLessThan(200);
    expect(Math.min(...gaps.slice(1))).toBeGreaterThanOrEqual(250 - TIMER_SLACK_MS);
    expect(
      errors.some((e) => e.type === 'close' && e.close.code === 4200 && e.close.action === 'retry'),
    ).toBe(true);
  });

  it('4100: waits a backoff of at least a second before the next attempt, and says so with connecting_in', async () => {
    answer = { code: 4100, message: 'Over capacity' };
    const tether = clients.create(port, { ...SHIPPED_PACING, enabledTransports: ['websocket'] });
    const waiting = await nextConnectionEvent(tether, 'connecting_in');
    expect(waiting.delayMs).toBeGreaterThanOrEqual(SHIPPED_PACING.backoffMinMs);
    expect(tether.connection.diagnostics().lastClose).toMatchObject({
      code: 4100,
      action: 'backoff',
      reason: 'Over capacity',
    });
    expect(arrivals).toHaveLength(1);
    const firstAt = arrivals[0] ?? 0;
    await nextConnectionEvent(tether, 'connecting', () => true, waiting.delayMs + 2_000);
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(waiting.delayMs - TIMER_SLACK_MS);
  });
});
