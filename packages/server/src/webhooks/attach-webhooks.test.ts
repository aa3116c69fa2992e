import Pusher from 'pusher';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServerEventSource } from '../../test/support/api-webhook-source.js';
import { resolveApp, type AppConfig, type WebhookConfig } from '../app-config.js';
import { systemClock } from '../clock.js';
import type { TetherServerEvents } from '../server-events.js';
import { attachWebhooks, type WebhookSender } from './attach-webhooks.js';
import { webhookDefaults, type WebhookOptions } from './webhook-options.js';
import type { WebhookEvent } from './webhook-payload.js';

const ALL = [
  'channel_occupied',
  'channel_vacated',
  'member_added',
  'member_removed',
  'client_event',
  'cache_miss',
  'subscription_count',
];
const HOOK = 'http://hooks.test/pusher';

interface Posted {
  url: string;
  headers: Record<string, string>;
  body: string;
  events: WebhookEvent[];
}

let source: FakeServerEventSource;
let posted: Posted[];
let statuses: (number | Error)[];
let errors: TetherServerEvents['error'][];
let sender: WebhookSender | undefined;

const fakeFetch = vi.fn<typeof fetch>((url, init) => {
  const headers = init?.headers as Record<string, string>;
  const body = init?.body as string;
  posted.push({
    url: url as string,
    headers,
    body,
    events: (JSON.parse(body) as { events: WebhookEvent[] }).events,
  });
  const next = statuses.shift() ?? 200;
  return next instanceof Error ? Promise.reject(next) : Promise.resolve(new Response(null, { status: next }));
});

function start(
  webhooks: WebhookConfig[] = [{ url: HOOK, events: ALL }],
  options: WebhookOptions = {},
): AppConfig {
  const app = resolveApp({ id: 'a1', key: 'hook-key', secret: 'hook-secret', webhooks });
  sender = attachWebhooks(source, {
    fetch: fakeFetch,
    clock: systemClock,
    random: () => 0,
    error: (context) => errors.push(context),
    ...options,
  });
  return app;
}

beforeEach(() => {
  vi.useFakeTimers();
  source = new FakeServerEventSource();
  posted = [];
  statuses = [];
  errors = [];
  fakeFetch.mockClear();
});
afterEach(async () => {
  await sender?.close();
  sender = undefined;
  vi.useRealTimers();
});

const names = (): string[] => posted.flatMap((post) => post.events.map((event) => event.name));

describe('attachWebhooks: payloads and signing', () => {
  it('POSTs a batch the official SDK validates, after the batch window', async () => {
    const app = start();
    const emittedAt = Date.now();
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs - 1);
    expect(posted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(posted).toHaveLength(1);
    const [post] = posted;
    expect(post!.url).toBe(HOOK);
    expect(post!.headers['Content-Type']).toBe('application/json');
    expect(post!.headers['X-Pusher-Key']).toBe('hook-key');
    expect(JSON.parse(post!.body)).toEqual({
      time_ms: emittedAt + webhookDefaults.batchWindowMs,
      events: [{ name: 'channel_occupied', channel: 'ch' }],
    });

    const pusher = new Pusher({ appId: 'a1', key: 'hook-key', secret: 'hook-secret', host: '127.0.0.1' });
    const lowerCased = Object.fromEntries(
      Object.entries(post!.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(pusher.webhook({ headers: lowerCased, rawBody: post!.body }).isValid()).toBe(true);
    const other = new Pusher({ appId: 'a1', key: 'hook-key', secret: 'other', host: '127.0.0.1' });
    expect(other.webhook({ headers: lowerCased, rawBody: post!.body }).isValid()).toBe(false);
  });

  it('sends the spec §6.5 payload of every event', async () => {
    const app = start();
    source.emit('member_added', { app, channel: 'presence-x', userId: 'u1' });
    source.emit('client_event', {
      app,
      channel: 'presence-x',
      event: 'client-typing',
      data: { t: 1 },
      socketId: '1.2',
      userId: 'u1',
    });
    source.emit('client_event', {
      app,
      channel: 'private-y',
      event: 'client-raw',
      data: 'text',
      socketId: '3.4',
    });
    source.emit('cache_miss', { app, channel: 'cache-z' });
    source.emit('subscription_count', { app, channel: 'news', subscriptionCount: 7 });
    source.emit('member_removed', { app, channel: 'presence-x', userId: 'u2' });
    source.emit('channel_vacated', { app, channel: 'news' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.leaveDelayMs + webhookDefaults.batchWindowMs);
    expect(posted.flatMap((post) => post.events)).toEqual([
      { name: 'member_added', channel: 'presence-x', user_id: 'u1' },
      {
        name: 'client_event',
        channel: 'presence-x',
        event: 'client-typing',
        data: '{"t":1}',
        socket_id: '1.2',
        user_id: 'u1',
      },
      { name: 'client_event', channel: 'private-y', event: 'client-raw', data: 'text', socket_id: '3.4' },
      { name: 'cache_miss', channel: 'cache-z' },
      { name: 'subscription_count', channel: 'news', subscription_count: 7 },
      { name: 'member_removed', channel: 'presence-x', user_id: 'u2' },
      { name: 'channel_vacated', channel: 'news' },
    ]);
  });

  it('sends each target only the events it lists, and nothing for apps without webhooks', async () => {
    const app = start([
      { url: 'http://one.test/', events: ['channel_occupied'] },
      { url: 'http://two.test/', events: ['cache_miss'] },
      { url: 'http://one.test/', events: ['channel_occupied', 'member_added'] },
    ]);
    const silent = resolveApp({ id: 'a2', key: 'k', secret: 's' });
    source.emit('channel_occupied', { app, channel: 'a' });
    source.emit('member_added', { app, channel: 'presence-a', userId: 'u' });
    source.emit('cache_miss', { app, channel: 'cache-a' });
    source.emit('subscription_count', { app, channel: 'a', subscriptionCount: 1 });
    source.emit('channel_occupied', { app: silent, channel: 'b' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    expect(posted.map((post) => [post.url, post.events.map((event) => event.name)])).toEqual([
      ['http://one.test/', ['channel_occupied', 'member_added']],
      ['http://two.test/', ['cache_miss']],
    ]);
  });
});

describe('attachWebhooks: delayed leaves (spec §11 item 31)', () => {
  it('sends channel_occupied at once and channel_vacated after ~3 s', async () => {
    const app = start();
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    source.emit('channel_vacated', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.leaveDelayMs - 1);
    expect(names()).toEqual(['channel_occupied']);
    await vi.advanceTimersByTimeAsync(1 + webhookDefaults.batchWindowMs);
    expect(names()).toEqual(['channel_occupied', 'channel_vacated']);
  });

  it('a vacate followed by re-occupation within the window sends neither', async () => {
    const app = start();
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    source.emit('channel_vacated', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(2000);
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(names()).toEqual(['channel_occupied']);

    // The next real vacate is sent once.
    source.emit('channel_vacated', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(names()).toEqual(['channel_occupied', 'channel_vacated']);
  });

  it('re-occupation after the window sends both transitions', async () => {
    const app = start();
    source.emit('channel_vacated', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.leaveDelayMs + webhookDefaults.batchWindowMs);
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    expect(names()).toEqual(['channel_vacated', 'channel_occupied']);
  });

  it('member_removed then member_added of the same user within the window sends neither; another user is unaffected', async () => {
    const app = start();
    source.emit('member_removed', { app, channel: 'presence-x', userId: 'u1' });
    source.emit('member_removed', { app, channel: 'presence-x', userId: 'u2' });
    await vi.advanceTimersByTimeAsync(1000);
    source.emit('member_added', { app, channel: 'presence-x', userId: 'u1' });
    source.emit('member_added', { app, channel: 'presence-y', userId: 'u2' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(posted.flatMap((post) => post.events)).toEqual([
      { name: 'member_added', channel: 'presence-y', user_id: 'u2' },
      { name: 'member_removed', channel: 'presence-x', user_id: 'u2' },
    ]);
  });

  it('honours a custom leave delay', async () => {
    const app = start(undefined, { leaveDelayMs: 100 });
    source.emit('channel_vacated', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(100 + webhookDefaults.batchWindowMs);
    expect(names()).toEqual(['channel_vacated']);
  });
});

describe('attachWebhooks: batching and delivery', () => {
  it('gathers events within the window into one POST, in order', async () => {
    const app = start();
    for (const channel of ['a', 'b', 'c']) source.emit('channel_occupied', { app, channel });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.events.map((event) => (event as { channel: string }).channel)).toEqual(['a', 'b', 'c']);
  });

  it('splits a large backlog into POSTs of at most maxBatchEvents', async () => {
    const app = start(undefined, { maxBatchEvents: 2 });
    for (const channel of ['a', 'b', 'c', 'd', 'e']) source.emit('cache_miss', { app, channel });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    expect(posted.map((post) => post.events.length)).toEqual([2, 2, 1]);
  });

  it('retries non-2xx and network errors with growing delays, resending the same signed body', async () => {
    statuses = [500, new TypeError('fetch failed'), 200];
    const app = start();
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    expect(posted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(posted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(posted).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(posted).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(posted).toHaveLength(3);
    expect(new Set(posted.map((post) => post.body)).size).toBe(1);
    expect(new Set(posted.map((post) => post.headers['X-Pusher-Signature'])).size).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(posted).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('gives up after the retry window, reports it, and keeps serving later events', async () => {
    statuses = Array.from({ length: 100 }, () => 503);
    const app = start();
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.retryWindowMs + 60_000);
    const attempts = posted.length;
    expect(attempts).toBeGreaterThan(5);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]!.error)).toMatch(/dropped 1 event\(s\) after \d+ attempt\(s\): status 503/);
    expect(errors[0]!.context).toContain(HOOK);

    statuses = [];
    source.emit('cache_miss', { app, channel: 'later' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    expect(posted.at(-1)!.events).toEqual([{ name: 'cache_miss', channel: 'later' }]);
  });

  it('keeps one POST in flight per target; events queued meanwhile follow in order', async () => {
    statuses = [500];
    const app = start();
    source.emit('cache_miss', { app, channel: 'first' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    source.emit('cache_miss', { app, channel: 'second' });
    await vi.advanceTimersByTimeAsync(400);
    expect(posted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100 + webhookDefaults.batchWindowMs);
    expect(posted.map((post) => post.events.map((event) => (event as { channel: string }).channel))).toEqual([
      ['first'],
      ['first'],
      ['second'],
    ]);
  });

  it('bounds the queue, dropping the oldest and reporting once', async () => {
    statuses = [500];
    const app = start(undefined, { maxQueuedEvents: 3 });
    source.emit('cache_miss', { app, channel: 'in-flight' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    for (const channel of ['c1', 'c2', 'c3', 'c4', 'c5']) source.emit('cache_miss', { app, channel });
    expect(errors).toHaveLength(1);
    expect(String(errors[0]!.error)).toContain('queue full at 3 events');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(posted.at(-1)!.events.map((event) => (event as { channel: string }).channel)).toEqual([
      'c3',
      'c4',
      'c5',
    ]);
  });
});

describe('attachWebhooks: never throws into the server', () => {
  it('swallows a throwing error callback', async () => {
    statuses = [new Error('down')];
    const app = start(undefined, {
      retryWindowMs: 0,
      error: () => {
        throw new Error('callback broke');
      },
    });
    expect(() => source.emit('channel_occupied', { app, channel: 'ch' })).not.toThrow();
    await vi.advanceTimersByTimeAsync(1000);
    expect(posted).toHaveLength(1);
  });

  it('reports a fetch that throws synchronously and drops after the window', async () => {
    const throwing = vi.fn<typeof fetch>(() => {
      throw new Error('sync boom');
    });
    const app = start(undefined, { fetch: throwing, retryWindowMs: 0 });
    source.emit('channel_occupied', { app, channel: 'ch' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    expect(throwing).toHaveBeenCalledTimes(1);
    expect(String(errors[0]?.error)).toContain('sync boom');
  });
});

describe('attachWebhooks: close', () => {
  it('sends pending leaves and batches, then stops listening', async () => {
    const app = start();
    source.emit('channel_occupied', { app, channel: 'a' });
    source.emit('channel_vacated', { app, channel: 'b' });
    const closing = sender!.close();
    sender = undefined;
    await vi.runAllTimersAsync();
    await closing;
    expect(posted.flatMap((post) => post.events)).toEqual([
      { name: 'channel_occupied', channel: 'a' },
      { name: 'channel_vacated', channel: 'b' },
    ]);
    expect(source.listenerCount()).toBe(0);
    source.emit('channel_occupied', { app, channel: 'c' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(posted).toHaveLength(1);
  });

  it('makes one more attempt for a retrying batch, then gives up', async () => {
    statuses = [500, 500, 500];
    const app = start();
    source.emit('channel_occupied', { app, channel: 'a' });
    await vi.advanceTimersByTimeAsync(webhookDefaults.batchWindowMs);
    const closing = sender!.close();
    sender = undefined;
    await vi.runAllTimersAsync();
    await closing;
    expect(posted).toHaveLength(2);
    expect(errors).toHaveLength(1);
  });
});
