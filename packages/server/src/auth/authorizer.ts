import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseAuthToken, subscriptionStringToSign, userStringToSign, type Result } from '@tether/protocol';
import type { AppConfig } from '../app-config.js';

/** Why a signature was refused: shown to the client in `pusher:subscription_error` / `pusher:error`. */
export type AuthFailure = { reason: string };

/** Lower-case hex HMAC-SHA256 of `value` with the app secret (spec §6.2). */
export const signWithSecret = (secret: string, value: string): string =>
  createHmac('sha256', secret).update(value).digest('hex');

function verify(app: AppConfig, auth: unknown, stringToSign: string): Result<true, AuthFailure> {
  const token = parseAuthToken(auth);
  if (!token.ok) return { ok: false, error: { reason: `Invalid auth: ${token.error.message}` } };
  const expected = signWithSecret(app.secret, stringToSign);
  const keyMatches = safeEqual(token.value.key, app.key);
  const signatureMatches = safeEqual(token.value.signature, expected);
  if (!keyMatches) return { ok: false, error: { reason: 'Invalid key in auth token' } };
  if (!signatureMatches) {
    return {
      ok: false,
      error: {
        reason: `Invalid signature: Expected HMAC SHA256 hex digest of ${stringToSign}, but got ${token.value.signature}`,
      },
    };
  }
  return { ok: true, value: true };
}

/** Constant-time string comparison; unequal lengths compare unequal without leaking where they differ. */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** Checks a private / encrypted / presence subscription's `auth` (presence signs `channel_data` too). */
export function verifyChannelAuth(
  app: AppConfig,
  socketId: string,
  channel: string,
  auth: unknown,
  channelData?: string,
): Result<true, AuthFailure> {
  return verify(app, auth, subscriptionStringToSign(socketId, channel, channelData));
}

/** Checks a `pusher:signin` token over `{socket_id}::user::{user_data}`. */
export function verifyUserAuth(
  app: AppConfig,
  socketId: string,
  auth: unknown,
  userData: string,
): Result<true, AuthFailure> {
  return verify(app, auth, userStringToSign(socketId, userData));
}
