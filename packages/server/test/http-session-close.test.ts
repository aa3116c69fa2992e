import {
  CloseCode,
  CURSOR_PARAM,
  decodeHttpError,
  decodeLongPollBatch,
  encodeSendBody,
  encodeSessionCloseBody,
  httpRoutePath,
  readSseMessage,
  SseReader,
  type LongPollBatch,
  type SseSignal,
} from '@tether/protocol';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpFallbackDefaults } from '../src/transports/http-fallback-options.js';
import { TextStreamReader } from './support/http-test-server.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  startRedisNode,
  uniqueRedisPrefix,
} from './support/redis-test-support.js';
import { nextServerEvent, startServer, type TestServer } from './support/test-server.js';
import { ClientPool, presenceAuth, type WsTestClient } from './support/ws-test-client.js';

// `POST /app/{key}/session/{session}/close` ends an HTTP session at once, like a WebSocket close frame:
// presence `member_removed` reaches the others without waiting for the session to be collected.
// Every server here keeps the default collection time (sessionGcMs, 10 s).

const KEY = 'app-key';
const SECRET = 'app-secret';
const CHANNEL = 'presence-room';
/** How soon after the close request the others must see the member leave: a tenth of the collection time. */
const LEAVE_WITHIN_MS = 1_000;

let servers: TestServer[] = [];
let pools: ClientPool[] = [];
const aborts: AbortController[] = [];

afterEach(async () => {
  for (const controller of aborts.splice(0)) controller.abort();
  for (const pool of pools) pool.closeAll();
  for (const server of servers) await server.close();
  servers = [];
  pools = [];
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

/** A WebSocket member of the presence channel who watches the others come and go. */
async function watcher(server: TestServer): Promise<WsTestClient> {
  const pool = new ClientPool((path) => server.wsUrl(path));
  pools.push(pool);
  const { client, socketId } = await pool.connect();
  const reply = await client.subscribe(CHANNEL, presenceSubscription(socketId, 'watcher'));
  expect(reply.event).toBe('pusher_internal:subscription_succeeded');
  return client;
}

function presenceSubscription(socketId: string, userId: string): { auth: string; channel_data: string } {
  const channelData = JSON.stringify({ user_id: userId, user_info: {} });
  return { auth: presenceAuth(KEY, SECRET, socketId, CHANNEL, channelData), channel_data: channelData };
}

const subscribeFrame = (socketId: string, userId: string): string =>
  JSON.stringify({
    event: 'pusher:subscribe',
    data: { channel: CHANNEL, ...presenceSubscription(socketId, userId) },
  });

const socketIdOf = (frame: string): string =>
  (JSON.parse(JSON.parse(frame).data as string) as { socket_id: string }).socket_id;

const post = (url: string, body?: string): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    ...(body !== undefined ? { body } : {}),
  });

const closeUrl = (server: TestServer, session: string, key = KEY): string =>
  server.httpUrl(httpRoutePath.close(key, session));

async function poll(server: TestServer, url: string): Promise<LongPollBatch> {
  const decoded = decodeLongPollBatch(await (await fetch(server.httpUrl(url))).text());
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

/** A long-poll session whose user has joined the presence channel, left between two polls (no poll attached). */
async function longPollMember(
  server: TestServer,
  userId: string,
): Promise<{ session: string; socketId: string }> {
  const first = await poll(server, `${httpRoutePath.longPollOpen(KEY)}?protocol=7`);
  if (first.frames[0] === undefined) throw new Error('no connection_established');
  const { session } = first;
  const socketId = socketIdOf(first.frames[0]);
  expect(
    (
      await post(
        server.httpUrl(httpRoutePath.send(KEY, session)),
        encodeSendBody([subscribeFrame(socketId, userId)]),
      )
    ).status,
  ).toBe(204);
  const joined = await poll(
    server,
    `${httpRoutePath.longPoll(KEY, session)}?${CURSOR_PARAM}=${first.cursor}`,
  );
  expect(joined.frames.map((frame) => (JSON.parse(frame) as { event: string }).event)).toContain(
    'pusher_internal:subscription_succeeded',
  );
  return { session, socketId };
}

/** 204 while the session is open, 404 once it has ended. */
const sendNothing = async (server: TestServer, session: string): Promise<number> =>
  (await post(server.httpUrl(httpRoutePath.send(KEY, session)), '[]')).status;

/** An SSE session whose user has joined the presence channel; its stream stays open. */
async function sseMember(
  server: TestServer,
  userId: string,
): Promise<{ session: string; socketId: string; stream: TextStreamReader }> {
  const controller = new AbortController();
  aborts.push(controller);
  const stream = new TextStreamReader(
    await fetch(server.httpUrl(`${httpRoutePath.sseOpen(KEY)}?protocol=7`), { signal: controller.signal }),
  );
  const signals = (): SseSignal[] =>
    new SseReader().push(stream.text).flatMap((message) => {
      const signal = readSseMessage(message);
      return signal.ok ? [signal.value] : [];
    });
  await stream.until(() => signals().some((signal) => signal.type === 'frame'));
  const [opened, established] = signals();
  if (opened?.type !== 'session' || established?.type !== 'frame') throw new Error('bad SSE preamble');
  const socketId = socketIdOf(established.frame);
  expect(
    (
      await post(
        server.httpUrl(httpRoutePath.send(KEY, opened.session)),
        encodeSendBody([subscribeFrame(socketId, userId)]),
      )
    ).status,
  ).toBe(204);
  return { session: opened.session, socketId, stream };
}

/** Closes the session and measures how long until the watcher sees `userId` leave. */
async function closeAndTimeLeave(
  server: TestServer,
  watching: WsTestClient,
  session: string,
  userId: string,
  body?: string,
) {
  const started = Date.now();
  const removed = watching.next(
    (m) => m.event === 'pusher_internal:member_removed' && m.channel === CHANNEL,
    LEAVE_WITHIN_MS,
  );
  const response = await post(closeUrl(server, session), body);
  const left = await removed;
  return { response, left, ms: Date.now() - started };
}

describe('closing an HTTP session (POST /app/{key}/session/{session}/close)', () => {
  it('long-poll: the member leaves at once, not after the collection time; later requests are 404 4210', async () => {
    const server = await start();
    const watching = await watcher(server);
    const member = await longPollMember(server, 'lp-user');
    await watching.nextEvent('pusher_internal:member_added', CHANNEL);
    const disconnected = nextServerEvent(
      server.tether,
      'disconnection',
      (c) => c.socketId === member.socketId,
    );

    const { response, left, ms } = await closeAndTimeLeave(server, watching, member.session, 'lp-user');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(left.parsed).toEqual({ user_id: 'lp-user' });
    expect(ms).toBeLessThan(httpFallbackDefaults.sessionGcMs / 10);
    expect(await disconnected).toMatchObject({ transport: 'long-poll', code: CloseCode.NormalClosure });

    const late = await fetch(
      server.httpUrl(`${httpRoutePath.longPoll(KEY, member.session)}?${CURSOR_PARAM}=1`),
    );
    expect(late.status).toBe(404);
    expect(decodeHttpError(await late.text())).toEqual({
      ok: true,
      value: { error: 'Session not found', code: CloseCode.SessionNotFound },
    });
    // Idempotent while the server remembers the session.
    expect((await post(closeUrl(server, member.session))).status).toBe(204);
  });

  it('SSE: the member leaves at once with the client code and reason; the stream is cut', async () => {
    const server = await start();
    const watching = await watcher(server);
    const member = await sseMember(server, 'sse-user');
    await watching.nextEvent('pusher_internal:member_added', CHANNEL);
    const disconnected = nextServerEvent(
      server.tether,
      'disconnection',
      (c) => c.socketId === member.socketId,
    );

    const body = encodeSessionCloseBody({ code: 4321, reason: 'page hidden' });
    const { response, left, ms } = await closeAndTimeLeave(
      server,
      watching,
      member.session,
      'sse-user',
      body,
    );
    expect(response.status).toBe(204);
    expect(left.parsed).toEqual({ user_id: 'sse-user' });
    expect(ms).toBeLessThan(httpFallbackDefaults.sessionGcMs / 10);
    expect(await disconnected).toMatchObject({ transport: 'sse', code: 4321, reason: 'page hidden' });
    await member.stream.ended();
  });

  it('an unknown session is 404 with code 4210', async () => {
    const server = await start();
    const response = await post(closeUrl(server, 'no-such-session-0000000000'));
    expect(response.status).toBe(404);
    expect(decodeHttpError(await response.text())).toEqual({
      ok: true,
      value: { error: 'Session not found', code: CloseCode.SessionNotFound },
    });
  });

  it('another app key is answered as send answers it (404, 4210) and leaves the session up', async () => {
    const server = await start();
    const member = await longPollMember(server, 'someone');
    const [closed, sent] = await Promise.all([
      post(closeUrl(server, member.session, 'wrong-key')),
      post(server.httpUrl(httpRoutePath.send('wrong-key', member.session)), '[]'),
    ]);
    expect([closed.status, sent.status]).toEqual([404, 404]);
    expect(await closed.text()).toBe(await sent.text());
    expect(await sendNothing(server, member.session)).toBe(204);
  });

  it('a malformed body is 400 {code: null} and leaves the session up; GET is 405', async () => {
    const server = await start();
    const member = await longPollMember(server, 'someone');
    const bad = await post(closeUrl(server, member.session), '{"code":1006}');
    expect(bad.status).toBe(400);
    expect(decodeHttpError(await bad.text())).toMatchObject({ ok: true, value: { code: null } });
    const get = await fetch(closeUrl(server, member.session));
    expect(get.status).toBe(405);
    expect(await sendNothing(server, member.session)).toBe(204);
    expect((await post(closeUrl(server, member.session))).status).toBe(204);
    expect(await sendNothing(server, member.session)).toBe(404);
  });
});

describe('closing an HTTP session held by another node', () => {
  let redis: Redis;
  let prefix = '';
  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });
  afterEach(async () => {
    await deleteKeysUnder(redis, prefix);
  });

  it('a close sent to B for a long-poll session on A is forwarded: the member leaves at once', async () => {
    prefix = uniqueRedisPrefix();
    const nodes: TestServer[] = [];
    for (let index = 0; index < 2; index += 1) {
      const node = await startRedisNode(prefix);
      servers.push(node);
      nodes.push(node);
    }
    const [nodeA, nodeB] = nodes as [TestServer, TestServer];
    const watching = await watcher(nodeB);
    const member = await longPollMember(nodeA, 'remote-user');
    await watching.nextEvent('pusher_internal:member_added', CHANNEL);

    const { response, ms } = await closeAndTimeLeave(nodeB, watching, member.session, 'remote-user');
    expect(response.status).toBe(204);
    expect(ms).toBeLessThan(httpFallbackDefaults.sessionGcMs / 10);
    expect(await sendNothing(nodeA, member.session)).toBe(404);
    expect((await post(closeUrl(nodeB, 'no-such-session-0000000000'))).status).toBe(404);
  });
});
