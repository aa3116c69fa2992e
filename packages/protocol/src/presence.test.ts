import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parsePresenceChannelData,
  parseUserData,
  presenceLimitsDefaults,
  presenceSnapshot,
} from './presence.js';

const untrusted = fc.oneof(fc.anything(), fc.json(), fc.string({ unit: 'binary' }));

describe('parsePresenceChannelData', () => {
  it('turns a numeric user_id into its decimal string', () => {
    expect(parsePresenceChannelData('{"user_id":10,"user_info":{"name":"Mr. Channels"}}')).toEqual({
      ok: true,
      value: { user_id: '10', user_info: { name: 'Mr. Channels' } },
    });
  });

  it('keeps string ids and leaves user_info out when absent', () => {
    expect(parsePresenceChannelData('{"user_id":"u-1"}')).toEqual({ ok: true, value: { user_id: 'u-1' } });
  });

  it('enforces the id length and user_info size limits (Pusher: 128 chars, 1 KB)', () => {
    expect(presenceLimitsDefaults).toEqual({ maxMembers: 100, maxUserIdLength: 128, maxUserInfoBytes: 1024 });
    expect(parsePresenceChannelData(JSON.stringify({ user_id: 'u'.repeat(128) })).ok).toBe(true);
    expect(parsePresenceChannelData(JSON.stringify({ user_id: 'u'.repeat(129) }))).toMatchObject({
      ok: false,
      error: { code: 'invalid_data' },
    });
    // JSON.stringify("…") adds two quote bytes: 1022 characters of 'a' are exactly 1024 bytes.
    expect(parsePresenceChannelData(JSON.stringify({ user_id: 1, user_info: 'a'.repeat(1022) })).ok).toBe(
      true,
    );
    expect(parsePresenceChannelData(JSON.stringify({ user_id: 1, user_info: 'a'.repeat(1023) })).ok).toBe(
      false,
    );
    // Multi-byte: 511 × 'é' = 1022 bytes + 2 quotes.
    expect(parsePresenceChannelData(JSON.stringify({ user_id: 1, user_info: 'é'.repeat(511) })).ok).toBe(
      true,
    );
    expect(parsePresenceChannelData(JSON.stringify({ user_id: 1, user_info: 'é'.repeat(512) })).ok).toBe(
      false,
    );
    expect(parsePresenceChannelData(JSON.stringify({ user_id: 'abc' }), { maxUserIdLength: 2 }).ok).toBe(
      false,
    );
  });

  it.each([
    ['not a string', { user_id: 1 }],
    ['an array', '[1]'],
    ['null', 'null'],
    ['no user_id', '{"user_info":{}}'],
    ['an empty user_id', '{"user_id":""}'],
    ['a boolean user_id', '{"user_id":true}'],
    ['an object user_id', '{"user_id":{"id":1}}'],
    ['a null user_id', '{"user_id":null}'],
  ])('refuses %s', (_name, raw) => {
    expect(parsePresenceChannelData(raw)).toMatchObject({ ok: false, error: { code: 'invalid_data' } });
  });

  it('refuses bad JSON as invalid_json', () => {
    expect(parsePresenceChannelData('{"user_id":')).toMatchObject({
      ok: false,
      error: { code: 'invalid_json' },
    });
  });

  it('refuses pollution keys', () => {
    expect(parsePresenceChannelData('{"user_id":1,"user_info":{"__proto__":{"admin":true}}}')).toMatchObject({
      ok: false,
      error: { code: 'forbidden_key' },
    });
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          untrusted,
          fc.record({ user_id: fc.anything(), user_info: fc.anything() }).map((v) => safeStringify(v)),
        ),
        (raw) => {
          const result = parsePresenceChannelData(raw);
          if (result.ok) expect(typeof result.value.user_id).toBe('string');
        },
      ),
    );
  });
});

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

describe('parseUserData', () => {
  it('reads id, the whole object and string watchlist entries', () => {
    expect(parseUserData('{"id":"12345","name":"Ada","watchlist":["a",2,"b"]}')).toEqual({
      ok: true,
      value: {
        id: '12345',
        data: { id: '12345', name: 'Ada', watchlist: ['a', 2, 'b'] },
        watchlist: ['a', 'b'],
      },
    });
    expect(parseUserData('{"id":"1"}')).toEqual({
      ok: true,
      value: { id: '1', data: { id: '1' }, watchlist: [] },
    });
  });

  it.each([
    ['a numeric id (pusher-js requires a string)', '{"id":12345}'],
    ['an empty id', '{"id":""}'],
    ['no id', '{}'],
    ['an id over 128 characters', JSON.stringify({ id: 'x'.repeat(129) })],
    ['an array', '["id"]'],
    ['bad JSON', '{'],
    ['an object', { id: '1' }],
  ])('refuses %s', (_name, raw) => {
    expect(parseUserData(raw).ok).toBe(false);
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(untrusted, fc.record({ id: fc.anything(), watchlist: fc.anything() }).map(safeStringify)),
        (raw) => {
          const result = parseUserData(raw);
          if (result.ok) expect(result.value.id.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('presenceSnapshot', () => {
  it('keeps one entry per user, first info wins, in join order', () => {
    const snapshot = presenceSnapshot([
      { user_id: 'b', user_info: { n: 1 } },
      { user_id: 'a' },
      { user_id: 'b', user_info: { n: 2 } },
    ]);
    expect(snapshot.presence.ids).toEqual(['b', 'a']);
    expect(snapshot.presence.count).toBe(2);
    expect(JSON.parse(JSON.stringify(snapshot.presence.hash))).toEqual({ b: { n: 1 }, a: null });
  });

  it('handles ids that collide with Object.prototype names', () => {
    const snapshot = presenceSnapshot([
      { user_id: 'toString' },
      { user_id: 'constructor' },
      { user_id: 'toString' },
    ]);
    expect(snapshot.presence.ids).toEqual(['toString', 'constructor']);
    expect(snapshot.presence.count).toBe(2);
  });

  it('is empty for no members', () => {
    expect(presenceSnapshot([]).presence).toMatchObject({ ids: [], count: 0 });
  });
});
