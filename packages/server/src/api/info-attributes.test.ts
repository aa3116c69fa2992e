import { channelKind } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import {
  channelAttributes,
  checkAttributesApply,
  infoAttributesAllowed,
  parseInfoAttributes,
} from './info-attributes.js';

const attrs = (raw: string): ReadonlySet<'user_count' | 'subscription_count' | 'cache'> => {
  const parsed = parseInfoAttributes(raw, infoAttributesAllowed.channel);
  if (!parsed.ok) throw new Error(parsed.failure.error);
  return parsed.value;
};
const named = (
  name: string,
): { name: string; kind: ReturnType<typeof channelKind>['kind']; cache: boolean } => ({
  name,
  ...channelKind(name),
});

describe('parseInfoAttributes', () => {
  it('splits, trims and skips empty parts', () => {
    expect([...attrs(' user_count,,subscription_count ')]).toEqual(['user_count', 'subscription_count']);
    expect(attrs('').size).toBe(0);
  });

  it('refuses attributes the endpoint does not support', () => {
    expect(parseInfoAttributes('subscription_count', infoAttributesAllowed.channels)).toMatchObject({
      ok: false,
      failure: { status: 400 },
    });
    expect(parseInfoAttributes('cache', infoAttributesAllowed.trigger)).toMatchObject({ ok: false });
  });
});

describe('checkAttributesApply', () => {
  it.each([
    ['presence-x', 'user_count', true],
    ['presence-x', 'subscription_count', false],
    ['private-x', 'user_count', false],
    ['private-x', 'subscription_count', true],
    ['x', 'cache', false],
    ['cache-x', 'cache', true],
    ['presence-cache-x', 'cache', true],
  ])('%s with %s → %s', (channel, attribute, ok) => {
    expect(checkAttributesApply(attrs(attribute), named(channel)).ok).toBe(ok);
  });
});

describe('channelAttributes', () => {
  const state = { subscriptionCount: 3, userCount: 2, cache: { data: '{}', ttl: 30 } };

  it('includes only attributes that apply to the channel', () => {
    const both = attrs('user_count,subscription_count,cache');
    expect(channelAttributes(state, both, channelKind('presence-x'))).toEqual({ user_count: 2 });
    expect(channelAttributes(state, both, channelKind('private-x'))).toEqual({ subscription_count: 3 });
    expect(channelAttributes(state, both, channelKind('cache-x'))).toEqual({
      subscription_count: 3,
      cache: { data: '{}', ttl: 30 },
    });
    expect(channelAttributes(state, both, channelKind('#server-to-user-1'))).toEqual({});
  });

  it('reports 0 users when the backend gives none, and leaves out an empty cache', () => {
    expect(
      channelAttributes({ subscriptionCount: 0 }, attrs('user_count'), channelKind('presence-x')),
    ).toEqual({ user_count: 0 });
    expect(channelAttributes({ subscriptionCount: 0 }, attrs('cache'), channelKind('cache-x'))).toEqual({});
  });
});
