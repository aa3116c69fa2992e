import { apiStringToSign } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import {
  ApiSignatureCheck,
  hexDigestsEqual,
  hmacSha256Hex,
  md5Hex,
  parseApiQuery,
  verifyApiSignature,
  type ApiSignedRequest,
} from './api-signature.js';

// Spec §6.3 worked vectors.
const credentials = { key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };
const timestamp = 1353088179;
const now = timestamp * 1000;
const eventsBody = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const base = `auth_key=${credentials.key}&auth_timestamp=${timestamp}&auth_version=1.0`;

const vectors: { name: string; request: ApiSignedRequest; signature: string }[] = [
  {
    name: 'POST /apps/3/events',
    request: {
      method: 'POST',
      path: '/apps/3/events',
      rawQuery: `${base}&body_md5=ec365a775a4cd0599faeb73354201b6f`,
      body: bytes(eventsBody),
    },
    signature: 'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c',
  },
  {
    name: 'GET /apps/3/channels with filter and info',
    request: {
      method: 'GET',
      path: '/apps/3/channels',
      rawQuery: `${base}&filter_by_prefix=presence-&info=user_count`,
      body: bytes(''),
    },
    signature: '16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291',
  },
  {
    name: 'POST terminate_connections',
    request: {
      method: 'POST',
      path: '/apps/3/users/u1/terminate_connections',
      rawQuery: `${base}&body_md5=99914b932bd37a50b983c5e7c90ae93b`,
      body: bytes('{}'),
    },
    signature: '61efad5e9fe693a686a71ff197d9770bd2c257d87ce961f4efda2dae952c4345',
  },
];

const withSignature = (request: ApiSignedRequest, signature: string): ApiSignedRequest => ({
  ...request,
  rawQuery: `${request.rawQuery}&auth_signature=${signature}`,
});

/** Signs a request the way the SDK does: over the decoded values, unescaped path. */
function sign(
  request: ApiSignedRequest,
  secret = credentials.secret,
  signedPath = request.path,
): ApiSignedRequest {
  const parsed = parseApiQuery(request.rawQuery);
  if (!parsed.ok) throw new Error(parsed.message);
  const signature = hmacSha256Hex(
    secret,
    apiStringToSign({ method: request.method, path: signedPath, query: parsed.query }),
  );
  return withSignature(request, signature);
}

describe('verifyApiSignature: spec §6.3 vectors', () => {
  it.each(vectors)('$name verifies', ({ request, signature }) => {
    const result = verifyApiSignature(withSignature(request, signature), credentials, now);
    expect(result).toMatchObject({ ok: true });
  });

  it.each(vectors)('$name: our own signing reproduces the vector', ({ request, signature }) => {
    expect(sign(request).rawQuery.endsWith(`auth_signature=${signature}`)).toBe(true);
  });

  it('body_md5 of the vectors is the MD5 of the raw body', () => {
    expect(md5Hex(eventsBody)).toBe('ec365a775a4cd0599faeb73354201b6f');
    expect(md5Hex('{}')).toBe('99914b932bd37a50b983c5e7c90ae93b');
  });

  it('returns the decoded query on success', () => {
    const [, get] = vectors;
    const result = verifyApiSignature(withSignature(get!.request, get!.signature), credentials, now);
    expect(result.ok && result.query.filter_by_prefix).toBe('presence-');
  });
});

describe('verifyApiSignature: each failing check', () => {
  const [events, get] = vectors;
  const post = events!.request;

  it('rejects a signature made with another secret', () => {
    const result = verifyApiSignature(sign(post, 'not-the-secret'), credentials, now);
    expect(result).toMatchObject({ ok: false, check: ApiSignatureCheck.AuthSignature });
  });

  it('rejects a signature for another method or path', () => {
    const signed = sign(post);
    expect(verifyApiSignature({ ...signed, method: 'PUT' }, credentials, now)).toMatchObject({
      ok: false,
      check: 'auth_signature',
    });
    expect(verifyApiSignature({ ...signed, path: '/apps/4/events' }, credentials, now)).toMatchObject({
      ok: false,
      check: 'auth_signature',
    });
  });

  it('rejects a tampered query value', () => {
    const signed = sign(get!.request);
    const tampered = {
      ...signed,
      rawQuery: signed.rawQuery.replace('info=user_count', 'info=subscription_count'),
    };
    expect(verifyApiSignature(tampered, credentials, now)).toMatchObject({
      ok: false,
      check: 'auth_signature',
    });
  });

  it('rejects a missing or malformed signature', () => {
    expect(verifyApiSignature(post, credentials, now)).toMatchObject({ ok: false, check: 'auth_signature' });
    expect(verifyApiSignature(withSignature(post, 'abc'), credentials, now)).toMatchObject({
      ok: false,
      check: 'auth_signature',
    });
  });

  it('rejects another app key', () => {
    const other = { ...post, rawQuery: post.rawQuery.replace(credentials.key, 'other-key') };
    expect(verifyApiSignature(sign(other), credentials, now)).toMatchObject({ ok: false, check: 'auth_key' });
    const missing = { ...post, rawQuery: post.rawQuery.replace(`auth_key=${credentials.key}&`, '') };
    expect(verifyApiSignature(sign(missing), credentials, now)).toMatchObject({
      ok: false,
      check: 'auth_key',
    });
  });

  it('rejects another auth_version', () => {
    const other = { ...post, rawQuery: post.rawQuery.replace('auth_version=1.0', 'auth_version=2.0') };
    expect(verifyApiSignature(sign(other), credentials, now)).toMatchObject({
      ok: false,
      check: 'auth_version',
    });
  });

  it('accepts timestamps up to 600 s away and rejects 601 s', () => {
    const signed = sign(post);
    expect(verifyApiSignature(signed, credentials, now + 600_000).ok).toBe(true);
    expect(verifyApiSignature(signed, credentials, now - 600_000).ok).toBe(true);
    expect(verifyApiSignature(signed, credentials, now + 600_999).ok).toBe(true);
    const late = verifyApiSignature(signed, credentials, now + 601_000);
    expect(late).toMatchObject({ ok: false, check: 'auth_timestamp' });
    expect(!late.ok && late.message).toContain('601 s');
    expect(verifyApiSignature(signed, credentials, now - 601_000)).toMatchObject({
      ok: false,
      check: 'auth_timestamp',
    });
  });

  it('honours a custom timestamp window', () => {
    const signed = sign(post);
    expect(
      verifyApiSignature(signed, credentials, now + 61_000, { timestampWindowSeconds: 60 }),
    ).toMatchObject({
      ok: false,
      check: 'auth_timestamp',
    });
  });

  it('rejects a non-numeric timestamp', () => {
    const other = {
      ...post,
      rawQuery: post.rawQuery.replace(`auth_timestamp=${timestamp}`, 'auth_timestamp=13e8'),
    };
    expect(verifyApiSignature(sign(other), credentials, now)).toMatchObject({
      ok: false,
      check: 'auth_timestamp',
    });
  });

  it('rejects a body that does not match body_md5, even with a valid signature', () => {
    const signed = sign(post);
    const result = verifyApiSignature(
      { ...signed, body: bytes(eventsBody.replace('foo', 'bar')) },
      credentials,
      now,
    );
    expect(result).toMatchObject({ ok: false, check: 'body_md5' });
  });

  it('requires body_md5 when there is a body', () => {
    const bare = { ...post, rawQuery: base };
    expect(verifyApiSignature(sign(bare), credentials, now)).toMatchObject({ ok: false, check: 'body_md5' });
  });

  it('rejects an unparseable or ambiguous query', () => {
    expect(
      verifyApiSignature({ ...post, rawQuery: `${post.rawQuery}&x=%E0%A4%A` }, credentials, now),
    ).toMatchObject({
      ok: false,
      check: 'query',
    });
    expect(
      verifyApiSignature({ ...post, rawQuery: `${post.rawQuery}&auth_key=again` }, credentials, now),
    ).toMatchObject({
      ok: false,
      check: 'query',
    });
  });
});

describe('verifyApiSignature: encodings', () => {
  it('verifies URL-encoded values against their decoded form', () => {
    const request: ApiSignedRequest = {
      method: 'GET',
      path: '/apps/3/channels',
      rawQuery: `${base}&info=user_count%2Csubscription_count&filter_by_prefix=presence-a%20b`,
      body: bytes(''),
    };
    const decodedSignature = hmacSha256Hex(
      credentials.secret,
      apiStringToSign({
        method: 'GET',
        path: '/apps/3/channels',
        query: {
          auth_key: credentials.key,
          auth_timestamp: String(timestamp),
          auth_version: '1.0',
          info: 'user_count,subscription_count',
          filter_by_prefix: 'presence-a b',
        },
      }),
    );
    expect(verifyApiSignature(withSignature(request, decodedSignature), credentials, now).ok).toBe(true);
  });

  it('keeps "+" as "+" (the SDK signs unescaped values), or reads it as a space on request', () => {
    expect(parseApiQuery('a=x+y&b')).toEqual({ ok: true, query: { a: 'x+y', b: '' } });
    expect(parseApiQuery('a=x+y&b', true)).toEqual({ ok: true, query: { a: 'x y', b: '' } });
  });

  it('verifies a "+" signed either as itself or as a form-encoded space', () => {
    const request: ApiSignedRequest = {
      method: 'GET',
      path: '/apps/3/channels',
      rawQuery: `${base}&filter_by_prefix=a+b`,
      body: bytes(''),
    };
    const signedAs = (value: string): string =>
      hmacSha256Hex(
        credentials.secret,
        apiStringToSign({
          method: 'GET',
          path: request.path,
          query: {
            auth_key: credentials.key,
            auth_timestamp: String(timestamp),
            auth_version: '1.0',
            filter_by_prefix: value,
          },
        }),
      );
    const plus = verifyApiSignature(withSignature(request, signedAs('a+b')), credentials, now);
    expect(plus.ok && plus.query.filter_by_prefix).toBe('a+b');
    const space = verifyApiSignature(withSignature(request, signedAs('a b')), credentials, now);
    expect(space.ok && space.query.filter_by_prefix).toBe('a b');
    expect(verifyApiSignature(withSignature(request, signedAs('a-b')), credentials, now).ok).toBe(false);
  });

  it('accepts a signature over the unescaped path when the URL path was escaped', () => {
    const request: ApiSignedRequest = {
      method: 'POST',
      path: '/apps/3/users/a%20b/terminate_connections',
      rawQuery: `${base}&body_md5=${md5Hex('{}')}`,
      body: bytes('{}'),
    };
    expect(
      verifyApiSignature(
        sign(request, credentials.secret, '/apps/3/users/a b/terminate_connections'),
        credentials,
        now,
      ).ok,
    ).toBe(true);
    expect(
      verifyApiSignature(
        sign(request, credentials.secret, '/apps/3/users/a c/terminate_connections'),
        credentials,
        now,
      ).ok,
    ).toBe(false);
  });

  it('compares digests case-insensitively and by length', () => {
    expect(hexDigestsEqual('ABCD', 'abcd')).toBe(true);
    expect(hexDigestsEqual('abcd', 'abc')).toBe(false);
    expect(hexDigestsEqual('abcd', 'abce')).toBe(false);
  });
});
