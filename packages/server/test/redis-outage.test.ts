import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterMessage } from '../src/adapters/adapter.js';
import { RedisAdapter } from '../src/adapters/redis-adapter.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  eventually,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from './support/redis-test-support.js';
import { TcpCutProxy } from './support/tcp-cut-proxy.js';

// Node A reaches Redis through a proxy the test cuts; node B reaches it directly.

let redis: Redis;
let proxy: TcpCutProxy;
let prefix: string;
const adapters: RedisAdapter[] = [];

beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  proxy.restore();
  for (const adapter of adapters.splice(0)) await adapter.close();
  await proxy.close();
  await deleteKeysUnder(redis, prefix);
});

const redisPort = Number(new URL(TEST_REDIS_URL).port || 6379);
const memberEvents = (seen: AdapterMessage[], event: string): string[] =>
  seen.flatMap((message) =>
    message.kind === 'channel' && message.frame.includes(event) ? [message.frame] : [],
  );

async function twoNodes(nodeTimeoutMs: number): Promise<{
  a: RedisAdapter;
  b: RedisAdapter;
  seenA: AdapterMessage[];
  seenB: AdapterMessage[];
  errors: string[];
}> {
  prefix = uniqueRedisPrefix();
  proxy = await TcpCutProxy.start(redisPort);
  const errors: string[] = [];
  const common = {
    keyPrefix: prefix,
    heartbeatIntervalMs: 100,
    nodeTimeoutMs,
    reconnectStepMs: 20,
    reconnectMaxMs: 100,
  };
  const a = new RedisAdapter({
    ...common,
    url: `redis://127.0.0.1:${proxy.port}`,
    onError: ({ context }) => errors.push(context),
  });
  const b = new RedisAdapter({ ...common, url: TEST_REDIS_URL });
  adapters.push(a, b);
  const seenA: AdapterMessage[] = [];
  const seenB: AdapterMessage[] = [];
  await a.init((message) => seenA.push(message), { nodeId: '1' });
  await b.init((message) => seenB.push(message), { nodeId: '2' });
  return { a, b, seenA, seenB, errors };
}

describe('Redis unreachable for a while', () => {
  it('a node keeps serving its own clients, then restores its state and announces the presence changes it made meanwhile', async () => {
    const { a, b, seenA, seenB, errors } = await twoNodes(60_000);
    await a.subscribe('app', 'presence-room', '1.1');
    await a.addMember('app', 'presence-room', '1.1', { user_id: 'stays' });
    await a.subscribe('app', 'presence-room', '1.2');
    await a.addMember('app', 'presence-room', '1.2', { user_id: 'leaves' });
    await b.subscribe('app', 'presence-room', '2.1');
    await b.addMember('app', 'presence-room', '2.1', { user_id: 'watcher' });

    proxy.cut();
    await eventually(() => !a.online, 5_000, 'A offline');
    expect(errors).toEqual(['redis connection (serving local clients until it is back)']);
    // Local answers while Redis is away: only this node's own connections count.
    expect(await a.removeMember('app', 'presence-room', '1.2')).toEqual({
      transition: true,
      userCount: 1,
      userId: 'leaves',
    });
    expect(await a.unsubscribe('app', 'presence-room', '1.2')).toEqual({
      subscriptionCount: 1,
      transition: false,
    });
    expect(await a.subscribe('app', 'presence-room', '1.3')).toEqual({
      subscriptionCount: 2,
      transition: false,
    });
    expect(await a.addMember('app', 'presence-room', '1.3', { user_id: 'newbie' })).toEqual({
      transition: true,
      userCount: 2,
    });
    const local: AdapterMessage = {
      kind: 'channel',
      appId: 'app',
      channel: 'presence-room',
      frame: '{"event":"local-only"}',
    };
    await a.publish(local);
    expect(seenA).toEqual([local]);
    expect(await b.members('app', 'presence-room')).toHaveLength(3);

    proxy.restore();
    await eventually(
      () =>
        memberEvents(seenB, 'member_added').length > 0 && memberEvents(seenB, 'member_removed').length > 0,
      5_000,
      'resync announced',
    );
    expect(memberEvents(seenB, 'member_removed')).toEqual([
      '{"event":"pusher_internal:member_removed","channel":"presence-room","data":"{\\"user_id\\":\\"leaves\\"}"}',
    ]);
    expect(memberEvents(seenB, 'member_added')).toEqual([
      '{"event":"pusher_internal:member_added","channel":"presence-room","data":"{\\"user_id\\":\\"newbie\\"}"}',
    ]);
    expect(seenB.some((message) => message.kind === 'channel' && message.frame.includes('local-only'))).toBe(
      false,
    );
    const members = await b.members('app', 'presence-room');
    expect(members.map((member) => member.user_id).sort()).toEqual(['newbie', 'stays', 'watcher']);
    expect(await b.channelCounts('app', 'presence-room')).toEqual({ subscriptionCount: 3, userCount: 3 });
    // Fan-out flows again both ways.
    await b.publish({ kind: 'user', appId: 'app', userId: 'stays', frame: '{"event":"back"}' });
    await eventually(() => seenA.some((message) => message.kind === 'user'), 5_000, 'delivery to A');
  });

  it('an outage longer than the node timeout: the others reap the node, and it joins again when Redis is back', async () => {
    const { a, b, seenB } = await twoNodes(400);
    await a.subscribe('app', 'presence-room', '1.1');
    await a.addMember('app', 'presence-room', '1.1', { user_id: 'stays' });
    proxy.cut();
    await eventually(() => memberEvents(seenB, 'member_removed').length === 1, 5_000, 'A reaped');
    expect(await b.channels('app')).toEqual(new Map());
    proxy.restore();
    await eventually(() => memberEvents(seenB, 'member_added').length === 1, 5_000, 'A back');
    expect(await b.members('app', 'presence-room')).toEqual([{ user_id: 'stays' }]);
    expect(await b.channels('app')).toEqual(
      new Map([['presence-room', { subscriptionCount: 1, userCount: 1 }]]),
    );
    expect((await redis.zrange(`${prefix}:nodes`, 0, -1)).sort()).toEqual(['1', '2']);
  });
});
