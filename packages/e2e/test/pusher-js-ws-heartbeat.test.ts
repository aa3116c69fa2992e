import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import WebSocket from 'ws';
import {
  nextEvent,
  nextMessage,
  PusherJsClients,
  recordStates,
  waitForState,
} from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

/** Many heartbeat intervals (50 ms) and pong timeouts (150 ms). */
const WATCH_MS = 1000;

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

describe('stock pusher-js over ws: heartbeats both ways', () => {
  it('item 5: with activity_timeout 1 the client pings after ~1 s of silence and gets pusher:pong', async () => {
    const s = (server = await startCompatServer({ activityTimeoutSeconds: 1 }));
    const pusher = clients.create({ port: s.port });
    await waitForState(pusher, 'connected');
    const connectedAt = Date.now();
    await nextMessage(pusher, (m) => m.event === 'pusher:pong', 5000);
    expect(Date.now() - connectedAt).toBeGreaterThanOrEqual(900);
    expect(pusher.connection.state).toBe('connected');
  });

  it('pusher-js answers the server protocol pings, so frequent pings never end its connection with 4201', async () => {
    const s = (server = await startCompatServer({ heartbeatIntervalMs: 50, pongTimeoutMs: 150 }));
    const pusher = clients.create({ port: s.port });
    const channel = pusher.subscribe('ticks');
    await nextEvent(channel, 'pusher:subscription_succeeded');
    const states = recordStates(pusher);
    const socketId = pusher.connection.socket_id;
    // Only the server talks (the client's activity timer keeps being reset, so it sends nothing):
    // what keeps the connection alive through many ping intervals is pusher-js answering protocol pings.
    const started = Date.now();
    let ticks = 0;
    while (Date.now() - started < WATCH_MS) {
      const tick = nextEvent(channel, 'tick');
      await s.sdk.trigger('ticks', 'tick', { n: ticks });
      await tick;
      ticks += 1;
    }
    expect(ticks).toBeGreaterThan(1);
    expect(states).toEqual([]);
    expect(pusher.connection.socket_id).toBe(socketId);
  });

  it('control: a peer that does not answer protocol pings is closed with 4201', async () => {
    const s = (server = await startCompatServer({ heartbeatIntervalMs: 50, pongTimeoutMs: 150 }));
    const silent = new WebSocket(`ws://127.0.0.1:${s.port}/app/app-key?protocol=7`, { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.once('close', resolve));
    expect(await closed).toBe(4201);
  });
});
