import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Adapter, AdapterDelivery, AdapterMessage } from './adapter.js';

export interface AdapterFactoryContext {
  /** The clock the adapter must use (tests move `now` by hand). */
  clock: Clock;
  /** The delivery the factory must register with `init`. */
  delivery: AdapterDelivery;
}

export interface AdapterUnderTest {
  adapter: Adapter;
  /** Closes the adapter and removes whatever it stored outside the process. */
  dispose(): Promise<void>;
}

export type AdapterFactory = (context: AdapterFactoryContext) => Promise<AdapterUnderTest>;

/** How many concurrent joins/leaves the race tests run. */
const RACERS = 20;

/**
 * The behaviour every Adapter shares, run against each implementation (memory in-process, Redis
 * against a real server). Each test gets a fresh adapter from `factory`.
 */
export function describeAdapterConformance(name: string, factory: AdapterFactory): void {
  describe(`${name} conformance`, () => {
    const created: AdapterUnderTest[] = [];
    afterEach(async () => {
      for (const subject of created.splice(0)) await subject.dispose();
    });

    async function setup(): Promise<{
      adapter: Adapter;
      seen: AdapterMessage[];
      setNow: (ms: number) => void;
    }> {
      let now = 0;
      const clock: Clock = { ...systemClock, now: () => now };
      const seen: AdapterMessage[] = [];
      const subject = await factory({ clock, delivery: (message) => seen.push(message) });
      created.push(subject);
      return { adapter: subject.adapter, seen, setNow: (ms) => (now = ms) };
    }

    it('reports occupied/vacated transitions and counts per app', async () => {
      const { adapter } = await setup();
      expect(await adapter.subscribe('a', 'news', '1.1')).toEqual({ subscriptionCount: 1, transition: true });
      expect(await adapter.subscribe('a', 'news', '1.2')).toEqual({
        subscriptionCount: 2,
        transition: false,
      });
      expect(await adapter.subscribe('a', 'news', '1.2')).toEqual({
        subscriptionCount: 2,
        transition: false,
      });
      expect(await adapter.subscribe('b', 'news', '1.3')).toEqual({ subscriptionCount: 1, transition: true });
      expect(await adapter.channelCounts('a', 'news')).toEqual({ subscriptionCount: 2 });
      expect(await adapter.unsubscribe('a', 'news', '1.1')).toEqual({
        subscriptionCount: 1,
        transition: false,
      });
      expect(await adapter.unsubscribe('a', 'news', '1.9')).toEqual({
        subscriptionCount: 1,
        transition: false,
      });
      expect(await adapter.unsubscribe('a', 'news', '1.2')).toEqual({
        subscriptionCount: 0,
        transition: true,
      });
      expect([...(await adapter.channels('a')).keys()]).toEqual([]);
      expect([...(await adapter.channels('b')).keys()]).toEqual(['news']);
      expect(await adapter.channelCounts('a', 'news')).toEqual({ subscriptionCount: 0 });
    });

    it('presence: first join and last leave per user, members listed once with the first user_info', async () => {
      const { adapter } = await setup();
      expect(
        await adapter.addMember('a', 'presence-x', '1.1', { user_id: 'u', user_info: { n: 1 } }),
      ).toEqual({ transition: true, userCount: 1 });
      expect(
        await adapter.addMember('a', 'presence-x', '1.1', { user_id: 'u', user_info: { n: 1 } }),
      ).toEqual({ transition: false, userCount: 1 });
      expect(
        await adapter.addMember('a', 'presence-x', '1.2', { user_id: 'u', user_info: { n: 2 } }),
      ).toEqual({ transition: false, userCount: 1 });
      expect(await adapter.addMember('a', 'presence-x', '1.3', { user_id: 'v' })).toEqual({
        transition: true,
        userCount: 2,
      });
      const members = await adapter.members('a', 'presence-x');
      expect([...members].sort((x, y) => x.user_id.localeCompare(y.user_id))).toEqual([
        { user_id: 'u', user_info: { n: 1 } },
        { user_id: 'v' },
      ]);
      expect(await adapter.hasMember('a', 'presence-x', 'u')).toBe(true);
      expect(await adapter.hasMember('b', 'presence-x', 'u')).toBe(false);
      expect(await adapter.removeMember('a', 'presence-x', '1.1')).toEqual({
        transition: false,
        userCount: 2,
        userId: 'u',
      });
      expect(await adapter.removeMember('a', 'presence-x', '1.2')).toEqual({
        transition: true,
        userCount: 1,
        userId: 'u',
      });
      expect(await adapter.removeMember('a', 'presence-x', '1.2')).toEqual({
        transition: false,
        userCount: 1,
      });
      expect(await adapter.hasMember('a', 'presence-x', 'u')).toBe(false);
      expect(await adapter.members('a', 'presence-x')).toEqual([{ user_id: 'v' }]);
    });

    it('lists channels by prefix with user counts for presence', async () => {
      const { adapter } = await setup();
      await adapter.subscribe('a', 'presence-x', '1.1');
      await adapter.addMember('a', 'presence-x', '1.1', { user_id: 'u' });
      await adapter.subscribe('a', 'news', '1.1');
      await adapter.subscribe('a', 'private-y', '1.2');
      expect(await adapter.channels('a', 'presence-')).toEqual(
        new Map([['presence-x', { subscriptionCount: 1, userCount: 1 }]]),
      );
      expect(await adapter.channelCounts('a', 'presence-x')).toEqual({ subscriptionCount: 1, userCount: 1 });
      expect([...(await adapter.channels('a')).keys()].sort()).toEqual(['news', 'presence-x', 'private-y']);
      expect(await adapter.channels('b')).toEqual(new Map());
    });

    it('cache entries expire on the injected clock', async () => {
      const { adapter, setNow } = await setup();
      await adapter.setCache('a', 'cache-x', { frame: 'f', data: 'd', expiresAt: 60_000 });
      expect(await adapter.getCache('a', 'cache-x')).toEqual({ frame: 'f', data: 'd', expiresAt: 60_000 });
      expect(await adapter.getCache('b', 'cache-x')).toBeUndefined();
      await adapter.setCache('a', 'cache-x', { frame: 'g', data: 'e', expiresAt: 60_000 });
      expect((await adapter.getCache('a', 'cache-x'))?.frame).toBe('g');
      setNow(60_000);
      expect(await adapter.getCache('a', 'cache-x')).toBeUndefined();
    });

    it('publish hands every message to the registered delivery exactly once', async () => {
      const { adapter, seen } = await setup();
      const messages: AdapterMessage[] = [
        { kind: 'channel', appId: 'a', channel: 'news', frame: '{"event":"e"}', exceptSocketId: '1.1' },
        { kind: 'user', appId: 'a', userId: 'u', frame: '{"event":"f"}' },
        { kind: 'terminate-user', appId: 'a', userId: 'u' },
      ];
      for (const message of messages) await adapter.publish(message);
      // A later round trip through the adapter: an echo of the publishes would have arrived by now.
      await adapter.channels('a');
      expect(seen).toEqual(messages);
    });

    it('concurrent joins and leaves of one user give exactly one first join and one last leave', async () => {
      const { adapter } = await setup();
      const sockets = Array.from({ length: RACERS }, (_, index) => `7.${index}`);
      const joins = await Promise.all(
        sockets.map(async (socket) => adapter.addMember('a', 'presence-race', socket, { user_id: 'u' })),
      );
      expect(joins.filter((change) => change.transition)).toHaveLength(1);
      const subscribes = await Promise.all(
        sockets.map(async (socket) => adapter.subscribe('a', 'presence-race', socket)),
      );
      expect(subscribes.filter((change) => change.transition)).toHaveLength(1);
      expect(await adapter.channelCounts('a', 'presence-race')).toEqual({
        subscriptionCount: RACERS,
        userCount: 1,
      });
      const leaves = await Promise.all(
        sockets.map(async (socket) => adapter.removeMember('a', 'presence-race', socket)),
      );
      expect(leaves.filter((change) => change.transition)).toEqual([
        { transition: true, userCount: 0, userId: 'u' },
      ]);
      const unsubscribes = await Promise.all(
        sockets.map(async (socket) => adapter.unsubscribe('a', 'presence-race', socket)),
      );
      expect(unsubscribes.filter((change) => change.transition)).toHaveLength(1);
      expect(await adapter.channels('a')).toEqual(new Map());
    });
  });
}
