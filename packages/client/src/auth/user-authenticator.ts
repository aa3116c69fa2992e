import type { UserAuthData, UserAuthRequest, UserAuthenticationOptions } from '../client-options.js';
import type { FetchLike } from '../platform/platform.js';
import { callAuthEndpoint, type AuthOutcome } from './auth-endpoint.js';

export type UserAuthenticator = (request: UserAuthRequest) => Promise<AuthOutcome<UserAuthData>>;

/** Checks `{ auth, user_data }` from an endpoint or a custom handler. */
export function validateUserAuth(json: unknown): UserAuthData | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'must be a JSON object';
  const { auth, user_data } = json as Record<string, unknown>;
  if (typeof auth !== 'string' || auth.length === 0) return 'has no "auth" string';
  if (typeof user_data !== 'string') return 'has no "user_data" JSON string';
  return { auth, user_data };
}

/** Authenticates the user for `signin()`: POST `socket_id=…` plus params (spec §6.1), or a custom handler. */
export function createUserAuthenticator(
  options: UserAuthenticationOptions,
  fetch: FetchLike,
): UserAuthenticator {
  return (request) =>
    callAuthEndpoint({
      options,
      fetch,
      request,
      fields: [['socket_id', request.socketId]],
      validate: validateUserAuth,
      purpose: 'user authentication',
    });
}
