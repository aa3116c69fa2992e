import { describe, expect, it } from 'vitest';
import { entryString, parseEntry, parseMember, presenceEntry, subscriptionEntry } from './redis-entries.js';
import { RedisKeys } from './redis-keys.js';

describe('Redis registration entries', () => {
  const keys = new RedisKeys('p');

  it('give the same string for the same registration and parse back to the same entry', () => {
    const subscription = subscriptionEntry(keys, 'app:1', 'news', '1.2');
    const presence = presenceEntry(keys, 'app:1', 'presence-x', '1.2');
    expect(entryString(subscription)).toBe(entryString(subscriptionEntry(keys, 'app:1', 'news', '1.2')));
    expect(parseEntry(entryString(subscription))).toEqual(subscription);
    expect(parseEntry(entryString(presence))).toEqual(presence);
    expect(subscription.subscribers).toBe('p:app:app%3A1:subs:news');
  });

  it.each(['', '{', '[]', '["s",1,2,3,4]', '["x","a","b","c","d"]', '["p","a"]'])(
    'reject malformed %j without throwing',
    (raw) => {
      expect(parseEntry(raw)).toBeUndefined();
    },
  );

  it('parses stored members and rejects anything else', () => {
    expect(parseMember('{"user_id":"u","user_info":{"n":1}}')).toEqual({ user_id: 'u', user_info: { n: 1 } });
    expect(parseMember('{"user_id":"u"}')).toEqual({ user_id: 'u' });
    expect(parseMember('{"user_id":5}')).toBeUndefined();
    expect(parseMember('nope')).toBeUndefined();
  });
});
