import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowsClientEvents,
  channelKind,
  channelNameLimitsDefaults,
  CHANNEL_PREFIXES,
  isSubscribable,
  parseChannelName,
  requiresAuth,
  serverToUserChannel,
  SERVER_TO_USER_PREFIX,
  type ChannelKind,
} from './channels.js';

const kinds: [string, ChannelKind, boolean][] = [
  ['room', 'public', false],
  ['cache-room', 'public', true],
  ['private-room', 'private', false],
  ['private-cache-room', 'private', true],
  ['private-encrypted-room', 'private-encrypted', false],
  ['private-encrypted-cache-room', 'private-encrypted', true],
  ['presence-room', 'presence', false],
  ['presence-cache-room', 'presence', true],
  ['#server-to-user-u1', 'server-to-user', false],
  // Prefixes only count at the start, and a bare prefix word is not a prefix.
  ['my-private-room', 'public', false],
  ['privateroom', 'public', false],
  ['presence', 'public', false],
  ['cache', 'public', false],
  ['xcache-room', 'public', false],
];

describe('channelKind', () => {
  it.each(kinds)('%s is %s (cache: %s)', (name, kind, cache) => {
    expect(channelKind(name)).toEqual({ kind, cache });
    expect(parseChannelName(name)).toEqual({ ok: true, value: { name, kind, cache } });
  });

  it('never lists a prefix before a longer prefix that starts with it, so the longest match wins', () => {
    for (const [i, entry] of CHANNEL_PREFIXES.entries()) {
      for (const later of CHANNEL_PREFIXES.slice(i + 1))
        expect(later.prefix.startsWith(entry.prefix)).toBe(false);
    }
  });
});

describe('parseChannelName', () => {
  it('accepts every allowed character', () => {
    expect(parseChannelName('AZaz09_-=@,.;').ok).toBe(true);
  });

  it.each([' ', '/', '#', ':', '?', '&', '+', '*', '!', '"', "'", '\n', '\u0000', 'é', '😀', '%'])(
    'refuses %j',
    (ch) => {
      expect(parseChannelName(`room${ch}x`)).toMatchObject({
        ok: false,
        error: { code: 'invalid_channel', closeCode: null },
      });
    },
  );

  it.each([undefined, null, 5, {}, [], ''])('refuses %j', (value) => {
    expect(parseChannelName(value)).toMatchObject({ ok: false, error: { code: 'invalid_channel' } });
  });

  it('accepts 200 characters and refuses 201 by default', () => {
    expect(channelNameLimitsDefaults.maxLength).toBe(200);
    expect(parseChannelName('a'.repeat(200)).ok).toBe(true);
    expect(parseChannelName('a'.repeat(201))).toMatchObject({
      ok: false,
      error: { code: 'invalid_channel' },
    });
  });

  it('enforces 164 in strict mode', () => {
    expect(channelNameLimitsDefaults.strictMaxLength).toBe(164);
    expect(parseChannelName('a'.repeat(164), { strict: true }).ok).toBe(true);
    expect(parseChannelName('a'.repeat(165), { strict: true }).ok).toBe(false);
    expect(parseChannelName('a'.repeat(165)).ok).toBe(true);
    expect(parseChannelName('a'.repeat(11), { maxLength: 10 }).ok).toBe(false);
  });

  it('allows # only as the server-to-user prefix', () => {
    expect(parseChannelName('#server-to-user-u1').ok).toBe(true);
    expect(parseChannelName(serverToUserChannel('user@example.com')).ok).toBe(true);
    for (const bad of [
      '#room',
      '#server-to-user-',
      '#server-to-user-a#b',
      'room#',
      'private-#server-to-user-1',
      '#server-to-user-a b',
    ]) {
      expect(parseChannelName(bad), bad).toMatchObject({ ok: false, error: { code: 'invalid_channel' } });
    }
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string({ unit: 'binary' })), (value) => {
        const result = parseChannelName(value);
        if (result.ok) expect(result.value.name).toBe(value);
      }),
    );
  });

  it('accepts every name built from the allowed alphabet (property)', () => {
    const allowed = fc.string({ unit: fc.constantFrom(...'abcXYZ019_-=@,.;'), minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(allowed, (name) => {
        expect(parseChannelName(name).ok).toBe(true);
      }),
    );
  });
});

describe('channel rules', () => {
  it('requires auth for private, encrypted and presence channels only', () => {
    expect(requiresAuth('public')).toBe(false);
    expect(requiresAuth('private')).toBe(true);
    expect(requiresAuth('private-encrypted')).toBe(true);
    expect(requiresAuth('presence')).toBe(true);
    expect(requiresAuth('server-to-user')).toBe(false);
  });

  it('allows client events on private and presence channels only', () => {
    expect(allowsClientEvents('public')).toBe(false);
    expect(allowsClientEvents('private')).toBe(true);
    expect(allowsClientEvents('presence')).toBe(true);
    expect(allowsClientEvents('private-encrypted')).toBe(false);
    expect(allowsClientEvents('server-to-user')).toBe(false);
  });

  it('keeps server-to-user channels out of client subscriptions', () => {
    expect(isSubscribable('server-to-user')).toBe(false);
    expect(isSubscribable('presence')).toBe(true);
    expect(serverToUserChannel('42')).toBe(`${SERVER_TO_USER_PREFIX}42`);
    expect(SERVER_TO_USER_PREFIX).toBe('#server-to-user-');
  });
});
