import {
  decodeHttpError,
  decodeLongPollBatch,
  encodeSendBody,
  httpRoutePath,
  readSseMessage,
  SseReader,
  type LongPollBatch,
  type SseSignal,
} from '@tether/protocol';
import type { Redis } from 'ioredis';
import type Pusher from 'pusher';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RedisAdapter } from '../src/adapters/redis-adapter.js';
import { TextStreamReader } from './support/http-test-server.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  eventually,
  startRedisNode,
  uniqueRedisPrefix,
} from './support/redis-test-support.js';
import { defaultAppSdk, type TestServer } from './support/test-server.js';

// HTTP fallback sessions without sticky load balancing: every request of a session opened on node A
// is sent to node B, which forwards it to A over Redis and relays A's answer (bodies and streams).

let redis: Redis;
let prefix: string;
let nodes: TestServer[] = [];
const aborts: AbortController[] = [];

beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  for (const controller of aborts.splice(0)) controller.abort();
  for (const node of nodes) await node.close();
  nodes = [];
  await deleteKeysUnder(redis, prefix);
});

const HOLD_MS = 300;

async function twoNodes(): Promise<{ a: TestServer; b: TestServer; pusherB: Pusher }> {
  prefix = uniqueRedisPrefix();
  for (let index = 0; index < 2; index += 1) {
    nodes.push(
      await startRedisNode(prefix, {
        httpFallbacks: { longPollHoldMs: HOLD_MS, sockjsPollHoldMs: HOLD_MS, sockjsHeartbeatMs: HOLD_MS },
      }),
    );
  }
  const [a, b] = nodes as [TestServer, TestServer];
  return { a, b, pusherB: defaultAppSdk(b.port) };
}

const subscribeFrame = (channel: string): string =>
  JSON.stringify({ event: 'pusher:subscribe', data: { auth: '', channel } });
const post = (url: string, body?: string, signal?: AbortSignal): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body } : {}),
    ...(signal ? { signal } : {}),
  });

async function openStream(url: string, method: 'GET' | 'POST'): Promise<TextStreamReader> {
  const controller = new AbortController();
  aborts.push(controller);
  const response =
    method === 'GET'
      ? await fetch(url, { signal: controller.signal })
      : await post(url, undefined, controller.signal);
  expect(response.status).toBe(200);
  return new TextStreamReader(response);
}

async function batch(response: Response): Promise<LongPollBatch> {
  expect(response.status).toBe(200);
  const decoded = decodeLongPollBatch(await response.text());
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

const events = (frames: readonly string[]): string[] =>
  frames.map((frame) => (JSON.parse(frame) as { event: string }).event);

describe('HTTP fallback sessions across nodes', () => {
  it('long-poll: sends and held polls for a session on A are served through B', async () => {
    const { a, b, pusherB } = await twoNodes();
    const first = await batch(await fetch(a.httpUrl(`${httpRoutePath.longPollOpen('app-key')}?protocol=7`)));
    expect(events(first.frames)).toEqual(['pusher:connection_established']);
    const sent = await post(
      b.httpUrl(httpRoutePath.send('app-key', first.session)),
      encodeSendBody([subscribeFrame('news')]),
    );
    expect(sent.status).toBe(204);
    const subscribed = await batch(
      await fetch(b.httpUrl(`${httpRoutePath.longPoll('app-key', first.session)}?cursor=${first.cursor}`)),
    );
    expect(events(subscribed.frames)).toEqual(['pusher_internal:subscription_succeeded']);
    // A poll held (forwarded) on B, answered when an event triggered through B reaches the session on A.
    const held = fetch(
      b.httpUrl(`${httpRoutePath.longPoll('app-key', first.session)}?cursor=${subscribed.cursor}`),
    );
    await pusherB.trigger('news', 'headline', { n: 1 });
    const delivered = await batch(await held);
    expect(events(delivered.frames)).toEqual(['headline']);
    expect(delivered.cursor).toBe(subscribed.cursor + 1);
    // An idle forwarded poll ends with the holder's empty batch after the hold time.
    expect(
      await batch(
        await fetch(
          b.httpUrl(`${httpRoutePath.longPoll('app-key', first.session)}?cursor=${delivered.cursor}`),
        ),
      ),
    ).toEqual({
      session: first.session,
      cursor: delivered.cursor,
      frames: [],
    });
    const unknown = await fetch(
      b.httpUrl(`${httpRoutePath.longPoll('app-key', 'no-such-session-000000000')}?cursor=0`),
    );
    expect(unknown.status).toBe(404);
    expect(decodeHttpError(await unknown.text())).toMatchObject({ ok: true, value: { code: 4210 } });
  });

  it('SSE: a send through B reaches the stream held by A', async () => {
    const { a, b } = await twoNodes();
    const reader = await openStream(a.httpUrl(`${httpRoutePath.sseOpen('app-key')}?protocol=7`), 'GET');
    const signals = (): SseSignal[] =>
      new SseReader().push(reader.text).flatMap((message) => {
        const signal = readSseMessage(message);
        return signal.ok ? [signal.value] : [];
      });
    await reader.until(() => signals().some((signal) => signal.type === 'frame'));
    const session = signals().find((signal) => signal.type === 'session');
    if (session?.type !== 'session') throw new Error('no session event');
    expect(
      (
        await post(
          b.httpUrl(httpRoutePath.send('app-key', session.session)),
          encodeSendBody([subscribeFrame('news')]),
        )
      ).status,
    ).toBe(204);
    await reader.until((text) => text.includes('subscription_succeeded'));
  });

  it('pusher-js xhr_streaming and xhr_polling: a session opened on A is re-attached, polled and fed through B', async () => {
    const { a, b, pusherB } = await twoNodes();
    const path = (node: TestServer, session: string, request: string): string =>
      node.httpUrl(`/pusher/app/app-key/123/${session}/${request}?protocol=7&client=js&version=8.6.0`);

    const streaming = await openStream(path(a, 'streamabc', 'xhr_streaming'), 'POST');
    await streaming.until((text) => text.includes('connection_established'));
    expect(
      (await post(path(b, 'streamabc', 'xhr_send'), JSON.stringify([subscribeFrame('news')]))).status,
    ).toBe(204);
    await streaming.until((text) => text.includes('subscription_succeeded'));
    // pusher-js re-opens its stream (after 256 KiB) on whatever node the balancer picks: no second `o`.
    const reattached = await openStream(path(b, 'streamabc', 'xhr_streaming'), 'POST');
    await streaming.ended();
    await pusherB.trigger('news', 'headline', {});
    const text = await reattached.until((t) => t.includes('headline'));
    expect(text.startsWith('o')).toBe(false);

    const opened = await post(path(a, 'pollabc', 'xhr'));
    expect(await opened.text()).toBe('o\n');
    const established = await (await post(path(b, 'pollabc', 'xhr'))).text();
    expect(established).toContain('connection_established');
    expect(
      (await post(path(b, 'pollabc', 'xhr_send'), JSON.stringify([subscribeFrame('news')]))).status,
    ).toBe(204);
    expect(await (await post(path(b, 'pollabc', 'xhr'))).text()).toContain('subscription_succeeded');
  });

  it("a session whose holder is gone is answered as not found at once, and the dead holder's keys are reaped", async () => {
    const { a, b } = await twoNodes();
    const first = await batch(await fetch(a.httpUrl(`${httpRoutePath.longPollOpen('app-key')}?protocol=7`)));
    const holderKey = `${prefix}:http-session:${encodeURIComponent(first.session)}`;
    await eventually(async () => (await redis.exists(holderKey)) === 1, 2_000, 'holder recorded');
    (a.tether.adapter as RedisAdapter).abandon();
    const started = Date.now();
    const lost = await fetch(
      b.httpUrl(`${httpRoutePath.longPoll('app-key', first.session)}?cursor=${first.cursor}`),
    );
    expect(lost.status).toBe(404);
    expect(decodeHttpError(await lost.text())).toMatchObject({ ok: true, value: { code: 4210 } });
    expect(Date.now() - started).toBeLessThan(1_000);
    await eventually(async () => (await redis.exists(holderKey)) === 0, 3_000, 'holder key reaped');
  });
});
