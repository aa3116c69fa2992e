import { fail, ok, type Result } from './errors.js';

/**
 * The strings to sign (spec §6.2, §6.3) and the formats of `auth` tokens and socket ids.
 * The HMAC itself is computed by the platform (node:crypto on the server); protocol owns the bytes.
 */

/** Two unsigned decimal integers joined by a dot: pusher-http-node rejects anything else (spec §5.4). */
export const SOCKET_ID_PATTERN = /^\d+\.\d+$/;

export const isValidSocketId = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 64 && SOCKET_ID_PATTERN.test(value);

export const formatSocketId = (high: number | bigint, low: number | bigint): string => `${high}.${low}`;

/** `{socket_id}:{channel_name}` for private and private-encrypted channels. */
export const channelStringToSign = (socketId: string, channel: string): string => `${socketId}:${channel}`;

/** `{socket_id}:{channel_name}:{channel_data}` for presence channels; channel_data is the exact JSON string. */
export const presenceStringToSign = (socketId: string, channel: string, channelData: string): string =>
  `${socketId}:${channel}:${channelData}`;

/** `{socket_id}::user::{user_data}` for user sign-in. */
export const userStringToSign = (socketId: string, userData: string): string =>
  `${socketId}::user::${userData}`;

/** The string to sign for a subscription, choosing the presence form when channel_data is present. */
export const subscriptionStringToSign = (socketId: string, channel: string, channelData?: string): string =>
  channelData === undefined
    ? channelStringToSign(socketId, channel)
    : presenceStringToSign(socketId, channel, channelData);

export interface AuthToken {
  key: string;
  /** Lower-case hex HMAC-SHA256. */
  signature: string;
}

const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/i;

/** Splits `"{key}:{hex}"`. Never throws. */
export function parseAuthToken(auth: unknown): Result<AuthToken> {
  if (typeof auth !== 'string' || auth.length === 0)
    return fail('invalid_data', 'auth must be a non-empty string');
  const colon = auth.lastIndexOf(':');
  if (colon <= 0) return fail('invalid_data', 'auth must be "key:signature"');
  const key = auth.slice(0, colon);
  const signature = auth.slice(colon + 1);
  if (!SIGNATURE_PATTERN.test(signature))
    return fail('invalid_data', 'auth signature must be 64 hex characters');
  return ok({ key, signature: signature.toLowerCase() });
}

export const formatAuthToken = (key: string, signature: string): string => `${key}:${signature}`;

// ---------------------------------------------------------------------------------------------
// HTTP API request signing (spec §6.3)

export const API_AUTH_VERSION = '1.0' as const;
export const API_SIGNATURE_PARAM = 'auth_signature' as const;
/** Parameters a user may not set themselves. */
export const API_RESERVED_PARAMS = [
  'auth_key',
  'auth_timestamp',
  'auth_version',
  'auth_signature',
  'body_md5',
] as const;

export interface ApiRequestToSign {
  method: string;
  /** The request path, e.g. `/apps/3/events`. */
  path: string;
  /** Decoded query values. `auth_signature` is ignored if present. */
  query: Readonly<Record<string, string>>;
}

/** Query params, minus the signature, keys lower-cased and sorted byte-wise, values unescaped. */
export function apiCanonicalQuery(query: Readonly<Record<string, string>>): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(query)) {
    const lower = key.toLowerCase();
    if (lower === API_SIGNATURE_PARAM) continue;
    pairs.push([lower, value]);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** `METHOD\npath\nsorted_query`, the string the HTTP API signs. */
export const apiStringToSign = (request: ApiRequestToSign): string =>
  `${request.method.toUpperCase()}\n${request.path}\n${apiCanonicalQuery(request.query)}`;
