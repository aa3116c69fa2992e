import { describe, expect, it } from 'vitest';
import { resolveApp } from '../app-config.js';
import { parseBatchRequest, parseEventsRequest } from './trigger-request.js';

const app = resolveApp({ id: '1', key: 'k', secret: 's' });
const event = { name: 'ev', data: '{"a":1}' };
const statusOf = (result: { ok: boolean; failure?: { status: number } }): number | undefined =>
  result.ok ? 200 : result.failure?.status;

describe('parseEventsRequest', () => {
  it('turns one event into one trigger per unique channel', () => {
    const result = parseEventsRequest({ ...event, channels: ['a', 'b', 'a'], socket_id: '1.2' }, app);
    expect(result.ok && result.value.events).toEqual([
      { channel: 'a', name: 'ev', data: '{"a":1}', socketId: '1.2' },
      { channel: 'b', name: 'ev', data: '{"a":1}', socketId: '1.2' },
    ]);
  });

  it('accepts a single "channel" and treats null socket_id as absent', () => {
    const result = parseEventsRequest({ ...event, channel: 'a', socket_id: null }, app);
    expect(result.ok && result.value.events).toEqual([{ channel: 'a', name: 'ev', data: '{"a":1}' }]);
  });

  it('accepts #server-to-user- channels and classifies them', () => {
    const result = parseEventsRequest({ ...event, channels: ['#server-to-user-u1'] }, app);
    expect(result.ok && result.value.channels[0]?.kind).toBe('server-to-user');
  });

  it('parses info attributes', () => {
    const result = parseEventsRequest(
      { ...event, channels: ['a'], info: 'user_count, subscription_count' },
      app,
    );
    expect(result.ok && [...result.value.info]).toEqual(['user_count', 'subscription_count']);
  });

  it.each([
    ['a non-object body', [], 400],
    ['no name', { data: 'x', channels: ['a'] }, 400],
    ['a reserved name', { name: 'pusher:x', data: 'x', channels: ['a'] }, 400],
    ['a pusher_internal name', { name: 'pusher_internal:x', data: 'x', channels: ['a'] }, 400],
    ['a name over the limit', { name: 'e'.repeat(201), data: 'x', channels: ['a'] }, 400],
    ['non-string data', { name: 'e', data: { a: 1 }, channels: ['a'] }, 400],
    ['data over the limit', { name: 'e', data: 'x'.repeat(10 * 1024 + 1), channels: ['a'] }, 413],
    ['multi-byte data over the limit', { name: 'e', data: 'é'.repeat(5 * 1024 + 1), channels: ['a'] }, 413],
    ['no channels', { name: 'e', data: 'x' }, 400],
    ['empty channels', { name: 'e', data: 'x', channels: [] }, 400],
    ['channels not an array', { name: 'e', data: 'x', channels: 'a' }, 400],
    ['101 channels', { name: 'e', data: 'x', channels: Array.from({ length: 101 }, (_, i) => `c${i}`) }, 400],
    ['an invalid channel name', { name: 'e', data: 'x', channels: ['a b'] }, 400],
    ['a # channel that is not server-to-user', { name: 'e', data: 'x', channels: ['#other'] }, 400],
    ['a channel name over 200', { name: 'e', data: 'x', channels: ['c'.repeat(201)] }, 400],
    ['a malformed socket_id', { name: 'e', data: 'x', channels: ['a'], socket_id: 'abc' }, 400],
    ['an unknown info attribute', { name: 'e', data: 'x', channels: ['a'], info: 'occupied' }, 400],
    ['a non-string info', { name: 'e', data: 'x', channels: ['a'], info: 3 }, 400],
  ])('refuses %s', (_label, body, status) => {
    expect(statusOf(parseEventsRequest(body, app))).toBe(status);
  });

  it('accepts data of exactly the limit and 100 channels', () => {
    const body = {
      name: 'e',
      data: 'x'.repeat(10 * 1024),
      channels: Array.from({ length: 100 }, (_, i) => `c${i}`),
    };
    expect(statusOf(parseEventsRequest(body, app))).toBe(200);
  });

  it('follows the app limits', () => {
    const tight = resolveApp({
      id: '1',
      key: 'k',
      secret: 's',
      maxEventPayloadBytes: 3,
      maxEventChannelsAtOnce: 1,
      maxEventNameLength: 2,
    });
    expect(statusOf(parseEventsRequest({ name: 'ev', data: 'x', channels: ['a'] }, tight))).toBe(200);
    expect(statusOf(parseEventsRequest({ name: 'eve', data: 'x', channels: ['a'] }, tight))).toBe(400);
    expect(statusOf(parseEventsRequest({ name: 'ev', data: 'xxxx', channels: ['a'] }, tight))).toBe(413);
    expect(statusOf(parseEventsRequest({ name: 'ev', data: 'x', channels: ['a', 'b'] }, tight))).toBe(400);
    const strict = resolveApp({ id: '1', key: 'k', secret: 's', strictChannelNames: true });
    expect(statusOf(parseEventsRequest({ name: 'e', data: 'x', channels: ['c'.repeat(165)] }, strict))).toBe(
      400,
    );
  });
});

describe('parseBatchRequest', () => {
  const item = (channel: string, extra: object = {}): object => ({
    channel,
    name: 'ev',
    data: 'x',
    ...extra,
  });

  it('keeps items in order, with their own socket_id and info', () => {
    const result = parseBatchRequest(
      { batch: [item('a', { info: 'subscription_count' }), item('b', { socket_id: '3.4' })] },
      app,
    );
    expect(result.ok && result.value.map((i) => [i.event, [...i.info]])).toEqual([
      [{ channel: 'a', name: 'ev', data: 'x' }, ['subscription_count']],
      [{ channel: 'b', name: 'ev', data: 'x', socketId: '3.4' }, []],
    ]);
  });

  it('accepts 10 events and refuses 11', () => {
    const batch = (n: number): object => ({ batch: Array.from({ length: n }, (_, i) => item(`c${i}`)) });
    expect(statusOf(parseBatchRequest(batch(10), app))).toBe(200);
    expect(statusOf(parseBatchRequest(batch(11), app))).toBe(400);
  });

  it.each([
    ['no batch', {}, 400],
    ['a non-object item', { batch: ['x'] }, 400],
    ['an item without channel', { batch: [{ name: 'e', data: 'x' }] }, 400],
    ['an item with a bad channel', { batch: [{ channel: 'a:b', name: 'e', data: 'x' }] }, 400],
    [
      'an item with data over the limit',
      { batch: [{ channel: 'a', name: 'e', data: 'x'.repeat(10241) }] },
      413,
    ],
  ])('refuses %s', (_label, body, status) => {
    expect(statusOf(parseBatchRequest(body, app))).toBe(status);
  });

  it('names the failing item', () => {
    const result = parseBatchRequest({ batch: [item('a'), item('b', { socket_id: 'x' })] }, app);
    expect(!result.ok && result.failure.error).toMatch(/^batch\[1\]: socket_id/);
  });
});
