import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  API_RESERVED_PARAMS,
  apiCanonicalQuery,
  apiStringToSign,
  channelStringToSign,
  formatAuthToken,
  formatSocketId,
  isValidSocketId,
  parseAuthToken,
  presenceStringToSign,
  subscriptionStringToSign,
  userStringToSign,
} from './auth.js';

// Spec §6.2 / §6.3 test vectors.
const KEY = '278d425bdf160c739803';
const SECRET = '7ad3773142a6692b25b8';
const SOCKET = '1234.1234';
const hmac = (text: string): string => createHmac('sha256', SECRET).update(text, 'utf8').digest('hex');
const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

describe('auth signatures (spec §6.2)', () => {
  it('user sign-in', () => {
    const text = userStringToSign(SOCKET, '{"id":"12345"}');
    expect(text).toBe('1234.1234::user::{"id":"12345"}');
    expect(hmac(text)).toBe('4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba');
  });

  it('private channel', () => {
    const text = channelStringToSign(SOCKET, 'private-foobar');
    expect(text).toBe('1234.1234:private-foobar');
    expect(hmac(text)).toBe('58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4');
  });

  it('presence channel (the verified value, not the docs misprint)', () => {
    const channelData = '{"user_id":10,"user_info":{"name":"Mr. Channels"}}';
    const text = presenceStringToSign(SOCKET, 'presence-foobar', channelData);
    expect(text).toBe(`1234.1234:presence-foobar:${channelData}`);
    expect(hmac(text)).toBe('31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80');
    expect(hmac(text).startsWith('afaed369')).toBe(false);
  });

  it('subscriptionStringToSign picks the presence form when channel_data is given', () => {
    expect(subscriptionStringToSign(SOCKET, 'private-foobar')).toBe(
      channelStringToSign(SOCKET, 'private-foobar'),
    );
    expect(subscriptionStringToSign(SOCKET, 'presence-x', '{}')).toBe('1234.1234:presence-x:{}');
    expect(subscriptionStringToSign(SOCKET, 'presence-x', '')).toBe('1234.1234:presence-x:');
  });
});

describe('HTTP API signatures (spec §6.3)', () => {
  const timestamp = '1353088179';

  it('events POST', () => {
    const body = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
    expect(md5(body)).toBe('ec365a775a4cd0599faeb73354201b6f');
    const text = apiStringToSign({
      method: 'post',
      path: '/apps/3/events',
      query: { auth_key: KEY, auth_timestamp: timestamp, auth_version: '1.0', body_md5: md5(body) },
    });
    expect(text).toBe(
      'POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f',
    );
    expect(hmac(text)).toBe('da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c');
  });

  it('channels GET, with query keys in any order and the signature ignored', () => {
    const text = apiStringToSign({
      method: 'GET',
      path: '/apps/3/channels',
      query: {
        info: 'user_count',
        auth_signature: 'ignored',
        filter_by_prefix: 'presence-',
        auth_version: '1.0',
        auth_timestamp: timestamp,
        auth_key: KEY,
      },
    });
    expect(hmac(text)).toBe('16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291');
  });

  it('terminate_connections POST', () => {
    expect(md5('{}')).toBe('99914b932bd37a50b983c5e7c90ae93b');
    const text = apiStringToSign({
      method: 'POST',
      path: '/apps/3/users/u1/terminate_connections',
      query: { auth_key: KEY, auth_timestamp: timestamp, auth_version: '1.0', body_md5: md5('{}') },
    });
    expect(hmac(text)).toBe('61efad5e9fe693a686a71ff197d9770bd2c257d87ce961f4efda2dae952c4345');
  });

  it('lower-cases keys, sorts byte-wise and leaves values unescaped', () => {
    expect(apiCanonicalQuery({ B: '1', a: 'x y,z', AUTH_SIGNATURE: 's', _z: '&' })).toBe('_z=&&a=x y,z&b=1');
    expect(apiCanonicalQuery({})).toBe('');
    expect(API_RESERVED_PARAMS).toContain('body_md5');
  });
});

describe('socket ids', () => {
  it.each(['1.2', '264774.13368624', '0.0', `${'9'.repeat(20)}.${'1'.repeat(20)}`])('accepts %s', (id) => {
    expect(isValidSocketId(id)).toBe(true);
  });

  it.each([
    '',
    '1',
    '1.',
    '.1',
    '1.2.3',
    'a.b',
    '-1.2',
    '1.-2',
    ' 1.2',
    '1.2 ',
    '1,2',
    '1.2\n',
    `${'1'.repeat(40)}.${'1'.repeat(40)}`,
    12,
    null,
  ])('refuses %j', (id) => {
    expect(isValidSocketId(id)).toBe(false);
  });

  it('formats what it accepts', () => {
    expect(formatSocketId(123, 456)).toBe('123.456');
    expect(isValidSocketId(formatSocketId(2n ** 63n, 0))).toBe(true);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (high, low) => {
        expect(isValidSocketId(formatSocketId(high, low))).toBe(true);
      }),
    );
  });
});

describe('auth tokens', () => {
  const signature = 'ab'.repeat(32);

  it('splits key and signature, lower-casing the hex', () => {
    expect(parseAuthToken(`${KEY}:${signature.toUpperCase()}`)).toEqual({
      ok: true,
      value: { key: KEY, signature },
    });
    expect(parseAuthToken(formatAuthToken(KEY, signature))).toEqual({
      ok: true,
      value: { key: KEY, signature },
    });
  });

  it('splits at the last colon', () => {
    expect(parseAuthToken(`a:b:${signature}`)).toEqual({ ok: true, value: { key: 'a:b', signature } });
  });

  it.each([
    '',
    ':',
    signature,
    `:${signature}`,
    `${KEY}:`,
    `${KEY}:${signature.slice(1)}`,
    `${KEY}:${signature}0`,
    `${KEY}:${'g'.repeat(64)}`,
    `${KEY}: ${signature.slice(1)}`,
    5,
    null,
    {},
  ])('refuses %j with invalid_data', (auth) => {
    expect(parseAuthToken(auth)).toMatchObject({
      ok: false,
      error: { code: 'invalid_data', closeCode: null },
    });
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string({ unit: 'binary' })), (auth) => {
        const result = parseAuthToken(auth);
        if (result.ok) expect(result.value.signature).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });
});
