import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { API_AUTH_VERSION, API_SIGNATURE_PARAM, apiStringToSign } from '@tether/protocol';

/**
 * Verification of signed HTTP API requests (spec §6.3): the query is parsed from the raw URL and
 * URL-decoded, `auth_signature` dropped, the rest lower-cased and sorted (protocol's `apiStringToSign`),
 * and the HMAC-SHA256 compared in constant time. Pure apart from node:crypto: time comes in as `nowMs`.
 */

export const apiSignatureDefaults = {
  /** Pusher accepts requests whose `auth_timestamp` is within ±600 s of its clock. */
  timestampWindowSeconds: 600,
  /** Longest `auth_timestamp` accepted, in digits (unix seconds fit in 10 for centuries). */
  maxTimestampDigits: 12,
} as const;

export type ApiSignatureOptions = { [K in keyof typeof apiSignatureDefaults]: number };

/** Which check failed; named in the 401 body so a caller can tell a clock skew from a wrong secret. */
export const ApiSignatureCheck = {
  Query: 'query',
  AuthKey: 'auth_key',
  AuthVersion: 'auth_version',
  AuthTimestamp: 'auth_timestamp',
  AuthSignature: 'auth_signature',
  BodyMd5: 'body_md5',
} as const;
export type ApiSignatureCheck = (typeof ApiSignatureCheck)[keyof typeof ApiSignatureCheck];

export interface ApiSignedRequest {
  method: string;
  /** The path as received, e.g. `/apps/3/channels/presence-x` (still URL-encoded if it was). */
  path: string;
  /** Everything after `?`, undecoded; empty when there is none. */
  rawQuery: string;
  /** The raw body bytes; empty for none. */
  body: Uint8Array;
}

export interface ApiCredentials {
  key: string;
  secret: string;
}

export type ApiQuery = Readonly<Record<string, string>>;

export type ApiSignatureResult =
  { ok: true; query: ApiQuery } | { ok: false; check: ApiSignatureCheck; message: string };

export type ApiQueryResult = { ok: true; query: ApiQuery } | { ok: false; message: string };

const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/i;
const MD5_PATTERN = /^[0-9a-f]{32}$/i;
const DIGITS_PATTERN = /^\d+$/;

function decodeComponent(text: string): string | undefined {
  // Without a percent-escape, decoding is the identity (the common case: skip the try and the copy).
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Splits and URL-decodes a raw query string. By default `+` stays `+`: the official SDK puts values into
 * the URL unescaped and signs them as they are; `plusAsSpace` reads it the form-encoding way instead.
 * Duplicate keys are refused, since the signed string would be ambiguous.
 */
export function parseApiQuery(rawQuery: string, plusAsSpace = false): ApiQueryResult {
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  const text = plusAsSpace ? rawQuery.replaceAll('+', ' ') : rawQuery;
  for (const part of text.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : part.slice(eq + 1));
    if (key === undefined || value === undefined)
      return { ok: false, message: 'query string is not valid URL encoding' };
    if (key.length === 0) return { ok: false, message: 'query string has an empty parameter name' };
    if (Object.hasOwn(query, key))
      return { ok: false, message: `query parameter "${key}" appears more than once` };
    query[key] = value;
  }
  return { ok: true, query };
}

/** Lower-case hex HMAC-SHA256 of `text` with the app secret. */
export const hmacSha256Hex = (secret: string, text: string | Uint8Array): string =>
  createHmac('sha256', secret).update(text).digest('hex');

/** Lower-case hex MD5, as `body_md5` carries it. */
export const md5Hex = (body: string | Uint8Array): string => createHash('md5').update(body).digest('hex');

/** Constant-time comparison of two hex digests (case-insensitive). */
export function hexDigestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The paths a signer may have signed: as received and, if it was escaped, decoded (the SDK signs unescaped paths). */
function signedPathCandidates(path: string): string[] {
  const decoded = decodeComponent(path);
  return decoded === undefined || decoded === path ? [path] : [path, decoded];
}

/** The readings of the query a signer may have signed: `+` as itself and, if present, as a form-encoded space. */
function signedQueryCandidates(rawQuery: string, query: ApiQuery): ApiQuery[] {
  if (!rawQuery.includes('+')) return [query];
  const spaced = parseApiQuery(rawQuery, true);
  return spaced.ok ? [query, spaced.query] : [query];
}

const fail = (check: ApiSignatureCheck, message: string): ApiSignatureResult => ({
  ok: false,
  check,
  message,
});

/** Checks key, version, timestamp window, signature and body MD5 of one API request. Never throws. */
export function verifyApiSignature(
  request: ApiSignedRequest,
  credentials: ApiCredentials,
  nowMs: number,
  options: Partial<ApiSignatureOptions> = {},
): ApiSignatureResult {
  const windowSeconds = options.timestampWindowSeconds ?? apiSignatureDefaults.timestampWindowSeconds;
  const maxDigits = options.maxTimestampDigits ?? apiSignatureDefaults.maxTimestampDigits;

  const parsed = parseApiQuery(request.rawQuery);
  if (!parsed.ok) return fail(ApiSignatureCheck.Query, parsed.message);
  const query = parsed.query;

  const key = query.auth_key;
  if (key === undefined) return fail(ApiSignatureCheck.AuthKey, 'auth_key is missing');
  if (key !== credentials.key) return fail(ApiSignatureCheck.AuthKey, "auth_key is not this app's key");

  if (query.auth_version !== API_AUTH_VERSION) {
    return fail(ApiSignatureCheck.AuthVersion, `auth_version must be ${API_AUTH_VERSION}`);
  }

  const timestamp = query.auth_timestamp;
  if (timestamp === undefined || timestamp.length > maxDigits || !DIGITS_PATTERN.test(timestamp)) {
    return fail(ApiSignatureCheck.AuthTimestamp, 'auth_timestamp must be unix seconds');
  }
  // Whole seconds on both sides: a timestamp exactly `windowSeconds` old passes whatever the milliseconds.
  const skewSeconds = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
  if (skewSeconds > windowSeconds) {
    return fail(
      ApiSignatureCheck.AuthTimestamp,
      `auth_timestamp is ${skewSeconds} s from server time; at most ${windowSeconds} s is allowed`,
    );
  }

  const signature = query[API_SIGNATURE_PARAM];
  if (signature === undefined || !SIGNATURE_PATTERN.test(signature)) {
    return fail(ApiSignatureCheck.AuthSignature, 'auth_signature must be 64 hex characters');
  }
  const signedQuery = signedQueryCandidates(request.rawQuery, query).find((candidate) =>
    signedPathCandidates(request.path).some((path) =>
      hexDigestsEqual(
        signature,
        hmacSha256Hex(
          credentials.secret,
          apiStringToSign({ method: request.method, path, query: candidate }),
        ),
      ),
    ),
  );
  if (signedQuery === undefined)
    return fail(ApiSignatureCheck.AuthSignature, 'auth_signature does not match');

  const bodyMd5 = query.body_md5;
  if (request.body.length > 0 && bodyMd5 === undefined) {
    return fail(ApiSignatureCheck.BodyMd5, 'body_md5 is required with a request body');
  }
  if (
    bodyMd5 !== undefined &&
    (!MD5_PATTERN.test(bodyMd5) || !hexDigestsEqual(bodyMd5, md5Hex(request.body)))
  ) {
    return fail(ApiSignatureCheck.BodyMd5, 'body_md5 does not match the request body');
  }

  return { ok: true, query: signedQuery };
}
