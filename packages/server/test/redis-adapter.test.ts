import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { describeAdapterConformance } from '../src/adapters/adapter-conformance.js';
import type { AdapterMessage } from '../src/adapters/adapter.js';
import { RedisAdapter } from '../src/adapters/redis-adapter.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  eventually,
  keysUnder,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from './support/redis-test-support.js';

let redis: Redis;
beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

describeAdapterConformance('RedisAdapter', async ({ clock, delivery }) => {
  const keyPrefix = uniqueRedisPrefix();
  const adapter = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix, clock, heartbeatIntervalMs: 60_000 });
  await adapter.init(delivery, { nodeId: '7' });
  return {
    adapter,
    dispose: async () => {
      await adapter.close();
      await deleteKeysUnder(redis, keyPrefix);
    },
  };
});

/** Resolves with the first message `predicate` accepts, from a list a delivery appends to. */
function waitFor(
  seen: AdapterMessage[],
  predicate: (message: AdapterMessage) => boolean,
): Promise<AdapterMessage> {
  return new Promise((resolve) => {
    const poll = (): void => {
      const found = seen.find(predicate);
      if (found) resolve(found);
      else setImmediate(poll);
    };
    poll();
  });
}

describe('RedisAdapter across nodes', () => {
  it('fans out once per node, shares counts and presence, and leaves no keys behind on close', async () => {
    const keyPrefix = uniqueRedisPrefix();
    const seenA: AdapterMessage[] = [];
    const seenB: AdapterMessage[] = [];
    const a = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix, heartbeatIntervalMs: 60_000 });
    const b = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix, heartbeatIntervalMs: 60_000 });
    try {
      await a.init((message) => seenA.push(message), { nodeId: '1' });
      await b.init((message) => seenB.push(message), { nodeId: '2' });

      expect(await a.subscribe('app', 'presence-room', '1.1')).toEqual({
        subscriptionCount: 1,
        transition: true,
      });
      expect(await b.subscribe('app', 'presence-room', '2.1')).toEqual({
        subscriptionCount: 2,
        transition: false,
      });
      expect(await a.addMember('app', 'presence-room', '1.1', { user_id: 'u' })).toEqual({
        transition: true,
        userCount: 1,
      });
      expect(await b.addMember('app', 'presence-room', '2.1', { user_id: 'u' })).toEqual({
        transition: false,
        userCount: 1,
      });
      expect(await b.channels('app')).toEqual(
        new Map([['presence-room', { subscriptionCount: 2, userCount: 1 }]]),
      );

      const event: AdapterMessage = {
        kind: 'channel',
        appId: 'app',
        channel: 'presence-room',
        frame: '{"event":"x"}',
        exceptSocketId: '2.1',
      };
      await a.publish(event);
      expect(await waitFor(seenB, (message) => message.kind === 'channel')).toEqual(event);
      // A second, later message: once it arrives, any duplicate of the first would have too.
      await a.publish({ kind: 'terminate-user', appId: 'app', userId: 'z' });
      await waitFor(seenB, (message) => message.kind === 'terminate-user');
      expect(seenB.filter((message) => message.kind === 'channel')).toHaveLength(1);
      expect(seenA).toEqual([event, { kind: 'terminate-user', appId: 'app', userId: 'z' }]);

      expect(await a.removeMember('app', 'presence-room', '1.1')).toEqual({
        transition: false,
        userCount: 1,
        userId: 'u',
      });
      expect(await a.unsubscribe('app', 'presence-room', '1.1')).toEqual({
        subscriptionCount: 1,
        transition: false,
      });
      expect(await b.removeMember('app', 'presence-room', '2.1')).toEqual({
        transition: true,
        userCount: 0,
        userId: 'u',
      });
      expect(await b.unsubscribe('app', 'presence-room', '2.1')).toEqual({
        subscriptionCount: 0,
        transition: true,
      });
      await a.close();
      await b.close();
      expect(await keysUnder(redis, keyPrefix)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await deleteKeysUnder(redis, keyPrefix);
    }
  });

  it('sends the events a node publishes in one turn as one PUBLISH, in order, before a later inbox message', async () => {
    const keyPrefix = uniqueRedisPrefix();
    const seenB: AdapterMessage[] = [];
    const a = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix, heartbeatIntervalMs: 60_000 });
    const b = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix, heartbeatIntervalMs: 60_000 });
    const spy = redis.duplicate();
    const wire: { channel: string; raw: string }[] = [];
    try {
      await a.init(() => undefined, { nodeId: '1' });
      await b.init((message) => seenB.push(message), { nodeId: '2' });
      spy.on('message', (channel: string, raw: string) => wire.push({ channel, raw }));
      await spy.subscribe(a.keys.events, a.keys.nodeInbox('2'));
      b.onInbox(() => undefined);

      const events: AdapterMessage[] = Array.from({ length: 5 }, (_, index) => ({
        kind: 'channel',
        appId: 'app',
        channel: 'news',
        frame: `{"event":"e","data":"${index}"}`,
      }));
      const published = events.map((event) => a.publish(event));
      const forwarded = a.sendToNode('2', 'inbox payload');
      events.push({ kind: 'channel', appId: 'app', channel: 'news', frame: '{"event":"late"}' });
      published.push(a.publish(events.at(-1)!));
      await Promise.all(published);
      expect(await forwarded).toBe(true);

      await waitFor(seenB, (message) => message.kind === 'channel' && message.frame === '{"event":"late"}');
      expect(seenB).toEqual(events);
      await eventually(() => wire.length === 3);
      // The five events before the inbox message left first, in one PUBLISH; the late one after it.
      expect(wire.map((entry) => entry.channel)).toEqual([
        a.keys.events,
        a.keys.nodeInbox('2'),
        a.keys.events,
      ]);
    } finally {
      spy.disconnect();
      await a.close();
      await b.close();
      await deleteKeysUnder(redis, keyPrefix);
    }
  });

  it('a node silent past the timeout is reaped: its presence leaves with member_removed delivered on the survivor', async () => {
    const keyPrefix = uniqueRedisPrefix();
    const seen: AdapterMessage[] = [];
    const survivor = new RedisAdapter({
      url: TEST_REDIS_URL,
      keyPrefix,
      heartbeatIntervalMs: 50,
      nodeTimeoutMs: 300,
    });
    const doomed = new RedisAdapter({ url: TEST_REDIS_URL, keyPrefix, heartbeatIntervalMs: 60_000 });
    try {
      await doomed.init(() => undefined, { nodeId: '9' });
      await doomed.subscribe('app', 'presence-room', '9.1');
      await doomed.addMember('app', 'presence-room', '9.1', { user_id: 'gone' });
      await doomed.subscribe('app', 'news', '9.1');
      await survivor.init((message) => seen.push(message), { nodeId: '8' });
      await survivor.subscribe('app', 'presence-room', '8.1');
      await survivor.addMember('app', 'presence-room', '8.1', { user_id: 'stays' });
      // The doomed node stops beating (as if SIGKILLed) without withdrawing.
      doomed.abandon();
      const removed = await waitFor(
        seen,
        (message) => message.kind === 'channel' && message.frame.includes('member_removed'),
      );
      expect(removed).toEqual({
        kind: 'channel',
        appId: 'app',
        channel: 'presence-room',
        frame:
          '{"event":"pusher_internal:member_removed","channel":"presence-room","data":"{\\"user_id\\":\\"gone\\"}"}',
      });
      expect(await survivor.members('app', 'presence-room')).toEqual([{ user_id: 'stays' }]);
      expect(await survivor.channels('app')).toEqual(
        new Map([['presence-room', { subscriptionCount: 1, userCount: 1 }]]),
      );
      expect(await redis.zrange(`${keyPrefix}:nodes`, 0, -1)).toEqual(['8']);
    } finally {
      await survivor.close();
      await doomed.close();
      await deleteKeysUnder(redis, keyPrefix);
    }
  });
});
