import { TRANSPORT_NAMES, type TransportName } from '@tether/protocol';
import type {
  ChannelEventContext,
  MemberContext,
  PresenceChannel,
  SigninSuccessContext,
  SubscriptionSucceededContext,
  Tether,
} from '@tether/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import {
  connected,
  nextConnectionEvent,
  nextContext,
  recordConnectionEvents,
  tetherE2eDefaults,
  TetherClients,
  trackSockets,
} from '../src/tether-clients.js';

/**
 * @tether/client against the real @tether/server, once per transport (each forced alone through
 * `enabledTransports`): connect, channels of every kind, presence, client events, and what happens
 * after the server closes, drains or refuses.
 */

let server: CompatServer;
let sockets: ReturnType<typeof trackSockets>;
const clients = new TetherClients();

/**
 * A client that leaves ends its HTTP session with the close request (tether-client-leave.test.ts), but
 * one that vanishes (a cut connection) is only noticed after `sessionGcMs` (10 s by default): shortened here.
 */
const SESSION_GC_MS = 1_000;

beforeEach(async () => {
  server = await startCompatServer({ httpFallbacks: { sessionGcMs: SESSION_GC_MS } });
  sockets = trackSockets(server.http);
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

const appEvent = (tether: Tether, channel: string, event: string): Promise<ChannelEventContext> =>
  nextContext<ChannelEventContext>(
    (l) => tether.channel(channel)!.bind(event, l),
    () => true,
    5_000,
    `${event} on ${channel}`,
  );

describe.each(TRANSPORT_NAMES)(
  '@tether/client over %s against @tether/server',
  (transport: TransportName) => {
    const create = (userId = 'ann', extra: Parameters<TetherClients['create']>[1] = {}): Tether =>
      clients.create(server.port, {
        enabledTransports: [transport],
        channelAuthorization: { endpoint: server.authEndpoint, params: { user_id: userId } },
        ...extra,
      });

    it('connects: connection_established gives a socket id, and the server saw this transport', async () => {
      const tether = create();
      const socketId = await connected(tether);
      expect(socketId).toMatch(/^\d+\.\d+$/);
      expect(tether.connection.transport).toBe(transport);
      expect(server.connections.find((c) => c.socketId === socketId)?.transport).toBe(transport);
      expect(tether.connection.diagnostics()).toMatchObject({
        state: 'connected',
        socketId,
        transport,
        memory: { transport },
      });
    });

    it('public channel: receives an event published through the HTTP API', async () => {
      const tether = create();
      await connected(tether);
      await subscribed(tether, 'news');
      const received = appEvent(tether, 'news', 'headline');
      await server.sdk.trigger('news', 'headline', { title: 'Tether ships' });
      expect(await received).toEqual({
        event: 'headline',
        channel: 'news',
        data: { title: 'Tether ships' },
        userId: null,
      });
    });

    it('private and presence channels authorize through the auth endpoint; members are added and removed', async () => {
      const ann = create('ann');
      await connected(ann);
      await subscribed(ann, 'private-room');
      const joined = await subscribed(ann, 'presence-lobby');
      expect(joined.members?.count).toBe(1);
      expect(joined.members?.me).toMatchObject({ id: 'ann', info: { name: 'ann' } });
      expect(server.authCalls.map((c) => c.channel)).toEqual(['private-room', 'presence-lobby']);
      expect(server.authCalls[0]?.socketId).toBe(ann.connection.socketId);

      const lobby = ann.channel('presence-lobby') as PresenceChannel;
      const added = nextContext<MemberContext>((l) => lobby.bind('pusher:member_added', l));
      const bob = create('bob');
      await connected(bob);
      await subscribed(bob, 'presence-lobby');
      expect((await added).member).toMatchObject({ id: 'bob', info: { name: 'bob' } });
      expect(lobby.members.count).toBe(2);
      const ids: string[] = [];
      lobby.members.each((member) => ids.push(member.id));
      expect(ids.sort()).toEqual(['ann', 'bob']);

      const removed = nextContext<MemberContext>((l) => lobby.bind('pusher:member_removed', l));
      bob.disconnect();
      expect((await removed).member.id).toBe('bob');
      expect(lobby.members.count).toBe(1);
    });

    it('client events travel between two clients, with the sender’s user id on presence channels', async () => {
      const ann = create('ann');
      const bob = create('bob');
      await Promise.all([connected(ann), connected(bob)]);
      await Promise.all([subscribed(ann, 'presence-chat'), subscribed(bob, 'presence-chat')]);
      const heard = appEvent(bob, 'presence-chat', 'client-typing');
      expect(ann.channel('presence-chat')!.trigger('client-typing', { typing: true })).toBe(true);
      expect(await heard).toEqual({
        event: 'client-typing',
        channel: 'presence-chat',
        data: { typing: true },
        userId: 'ann',
      });
    });

    it('signs in through the user-auth endpoint and receives server-to-user events', async () => {
      const tether = create('ann', {
        userAuthentication: { endpoint: server.userAuthEndpoint, params: { user_id: 'ann' } },
      });
      const signedIn = nextContext<SigninSuccessContext>((l) => tether.user.bind('pusher:signin_success', l));
      tether.signin();
      expect(await signedIn).toMatchObject({ userId: 'ann', userData: { id: 'ann' } });
      expect(server.authCalls.find((c) => c.path === '/pusher/user-auth')?.socketId).toBe(
        tether.connection.socketId,
      );
      const notice = nextContext<ChannelEventContext>((l) => tether.user.bind('notice', l));
      await server.sdk.sendToUser('ann', 'notice', { text: 'hi' });
      expect((await notice).data).toEqual({ text: 'hi' });
    });

    it('after the server cuts the connection without a close frame, reconnects and resubscribes with fresh auth', async () => {
      const tether = create();
      const first = await connected(tether);
      await subscribed(tether, 'news');
      await subscribed(tether, 'private-room');
      const again = nextConnectionEvent(tether, 'connected', ({ socketId }) => socketId !== first);
      const resubscribed = nextContext<SubscriptionSucceededContext>((l) =>
        tether.channel('private-room')!.bind('pusher:subscription_succeeded', l),
      );
      expect(sockets.destroyAll()).toBeGreaterThan(0);
      const { socketId: second } = await again;
      await resubscribed;
      expect(server.authCalls.filter((c) => c.channel === 'private-room').map((c) => c.socketId)).toEqual([
        first,
        second,
      ]);
      const received = appEvent(tether, 'news', 'after-reconnect');
      await server.sdk.trigger('news', 'after-reconnect', { n: 1 });
      expect((await received).data).toEqual({ n: 1 });
    });

    it('a server drain (4200) reconnects at once, with no backoff, and resubscribes', async () => {
      const tether = create();
      const first = await connected(tether);
      await subscribed(tether, 'news');
      const waits = recordConnectionEvents(tether, 'connecting_in');
      const errors = recordConnectionEvents(tether, 'error');
      const again = nextConnectionEvent(tether, 'connected', ({ socketId }) => socketId !== first, 8_000);
      const resubscribed = nextContext<SubscriptionSucceededContext>(
        (l) => tether.channel('news')!.bind('pusher:subscription_succeeded', l),
        () => true,
        8_000,
      );
      const replaced = server.replaceNode();
      await again;
      await resubscribed;
      await replaced;
      // Every transport is told 4200, except that a long-poll whose next poll was already on its way
      // when the node was swapped lands on the new node, which does not hold the session (the two
      // nodes share no adapter here): 4210. Both mean "reconnect at once".
      const codes = transport === 'long-poll' ? [4200, 4210] : [4200];
      const close = tether.connection.diagnostics().lastClose;
      expect(codes).toContain(close?.code);
      expect(close).toMatchObject({ action: 'retry', transport });
      expect(errors.some((e) => e.type === 'close' && e.close.code === close?.code)).toBe(true);
      expect(waits).toEqual([]);
      const received = appEvent(tether, 'news', 'after-drain');
      await server.sdk.trigger('news', 'after-drain', 'ok');
      expect((await received).data).toBe('ok');
    });

    it('a refused key (4001) is reported with a readable reason and never retried', async () => {
      const refused = clients.create(
        server.port,
        { enabledTransports: [transport], autoConnect: false },
        'no-such-key',
      );
      const disconnected = nextConnectionEvent(refused, 'disconnected');
      const attempts = recordConnectionEvents(refused, 'connecting');
      refused.connect();
      const { close } = await disconnected;
      expect(close).toMatchObject({
        code: 4001,
        action: 'refused',
        transport,
        reason: expect.stringContaining('no-such-key') as unknown,
      });
      expect(close?.explanation).toMatch(/App not found.*will not reconnect/);
      // With retries paced at ≤ 500 ms here, a retry would have started within the quiet period.
      await new Promise((resolve) => setTimeout(resolve, tetherE2eDefaults.quietPeriodMs));
      expect(refused.connection.state).toBe('disconnected');
      expect(attempts).toEqual([{ attempt: 1 }]);
      expect(server.connections).toHaveLength(0);
    });
  },
);
