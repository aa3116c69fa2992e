import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { nextEvent, PusherJsClients, recordStates } from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

const EVENTS = 300;
const BATCH = 10;
const PAYLOAD = 'x'.repeat(2048);

describe('stock pusher-js over xhr_streaming: stream rotation (item 35)', () => {
  it('300 events of 2 KB arrive in order, none lost or repeated, across at least two re-opened streams of one session', async () => {
    const s = (server = await startCompatServer());
    const streams: string[] = [];
    s.http.on('request', (req: { url?: string }) => {
      const match = /\/pusher\/app\/app-key\/([^/]+\/[^/]+)\/xhr_streaming/.exec(req.url ?? '');
      if (match?.[1] !== undefined) streams.push(match[1]);
    });
    const pusher = clients.create({ port: s.port, transport: 'xhr_streaming' });
    const channel = pusher.subscribe('bulk');
    await nextEvent(channel, 'pusher:subscription_succeeded');
    const socketId = pusher.connection.socket_id;
    const states = recordStates(pusher);

    const received: number[] = [];
    let damaged = 0;
    const all = new Promise<void>((resolve) => {
      channel.bind('item', (data: { i: number; p: string }) => {
        if (data.p !== PAYLOAD) damaged += 1;
        received.push(data.i);
        if (received.length === EVENTS) resolve();
      });
    });
    for (let start = 0; start < EVENTS; start += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, k) => ({
        channel: 'bulk',
        name: 'item',
        data: JSON.stringify({ i: start + k, p: PAYLOAD }),
      }));
      await s.sdk.triggerBatch(batch);
    }
    await all;

    expect(received).toEqual([...Array(EVENTS).keys()]);
    expect(damaged).toBe(0);
    // One session throughout: the same socket id, no reconnect, and at least three streams (two rotations).
    expect(pusher.connection.socket_id).toBe(socketId);
    expect(states).toEqual([]);
    expect(new Set(streams).size).toBe(1);
    expect(streams.length).toBeGreaterThanOrEqual(3);
  });
});
