import { CloseCode, TRANSPORT_NAMES, type TransportName } from '@tether/protocol';
import type { MemberContext, PresenceChannel, SubscriptionSucceededContext, Tether } from '@tether/client';
import { httpFallbackDefaults } from '@tether/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextServerEvent, startCompatServer, type CompatServer } from '../src/compat-server.js';
import { connected, nextContext, TetherClients } from '../src/tether-clients.js';

/**
 * A @tether/client that leaves is gone for the others at once on every transport. WebSocket and the
 * SSE stream are noticed by their TCP close; a long-poll client has no connection between two polls,
 * so it ends its session with the close request (`POST …/session/{id}/close`). The server keeps its
 * default collection time (sessionGcMs, 10 s): without the close request, the long-poll member would
 * only leave when its session is collected, far later than these tests wait.
 */

/** The others must see the member leave within a tenth of the collection time. */
const LEAVE_WITHIN_MS = httpFallbackDefaults.sessionGcMs / 10;

const SERVER_SEES: Record<TransportName, readonly number[]> = {
  websocket: [CloseCode.NormalClosure],
  sse: [CloseCode.NormalClosure, CloseCode.AbnormalClosure],
  'long-poll': [CloseCode.NormalClosure],
};

let server: CompatServer;
const clients = new TetherClients();

beforeEach(async () => {
  server = await startCompatServer();
});

afterEach(async () => {
  clients.disconnectAll();
  await server.close();
});

const subscribed = (tether: Tether, name: string): Promise<SubscriptionSucceededContext> =>
  nextContext<SubscriptionSucceededContext>(
    (l) => tether.subscribe(name).bind('pusher:subscription_succeeded', l),
    () => true,
    5_000,
    `${name} subscribed`,
  );

describe.each(TRANSPORT_NAMES)(
  'a @tether/client over %s leaving a presence channel',
  (transport: TransportName) => {
    const create = (userId: string): Tether =>
      clients.create(server.port, {
        enabledTransports: [transport],
        channelAuthorization: { endpoint: server.authEndpoint, params: { user_id: userId } },
      });

    it(`disconnect(): the others see member_removed within ${LEAVE_WITHIN_MS} ms (server sessionGcMs left at ${httpFallbackDefaults.sessionGcMs} ms)`, async () => {
      const ann = create('ann');
      const bob = create('bob');
      await Promise.all([connected(ann), connected(bob)]);
      await subscribed(ann, 'presence-lobby');
      const lobby = ann.channel('presence-lobby') as PresenceChannel;
      const added = nextContext<MemberContext>((l) => lobby.bind('pusher:member_added', l));
      await subscribed(bob, 'presence-lobby');
      expect((await added).member.id).toBe('bob');
      const bobSocket = bob.connection.socketId;

      const removed = nextContext<MemberContext>(
        (l) => lobby.bind('pusher:member_removed', l),
        () => true,
        LEAVE_WITHIN_MS,
        'member_removed',
      );
      const ended = nextServerEvent(
        server,
        'disconnection',
        (c) => c.socketId === bobSocket,
        LEAVE_WITHIN_MS,
      );
      const started = Date.now();
      bob.disconnect();
      expect((await removed).member.id).toBe('bob');
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(LEAVE_WITHIN_MS);
      expect(lobby.members.count).toBe(1);
      // How the server learnt it: long-poll only through the close request (1000; a collection would be a
      // 1006 after sessionGcMs). SSE races the close request against the stream's TCP close (1006).
      const disconnection = await ended;
      expect(disconnection.transport).toBe(transport);
      expect(SERVER_SEES[transport]).toContain(disconnection.code);
    });
  },
);
