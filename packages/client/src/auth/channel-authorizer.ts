import type { ChannelAuthData, ChannelAuthRequest, ChannelAuthorizationOptions } from '../client-options.js';
import type { FetchLike } from '../platform/platform.js';
import { callAuthEndpoint, type AuthOutcome } from './auth-endpoint.js';

export type ChannelAuthorizer = (request: ChannelAuthRequest) => Promise<AuthOutcome<ChannelAuthData>>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks `{ auth, channel_data?, shared_secret? }` from an endpoint or a custom handler. */
export function validateChannelAuth(json: unknown): ChannelAuthData | string {
  if (!isRecord(json)) return 'must be a JSON object';
  const { auth, channel_data, shared_secret } = json;
  if (typeof auth !== 'string' || auth.length === 0) return 'has no "auth" string';
  if (channel_data !== undefined && typeof channel_data !== 'string')
    return '"channel_data" must be a JSON string';
  if (shared_secret !== undefined && typeof shared_secret !== 'string')
    return '"shared_secret" must be a string';
  return {
    auth,
    ...(channel_data !== undefined ? { channel_data } : {}),
    ...(shared_secret !== undefined ? { shared_secret } : {}),
  };
}

/**
 * Authorizes private, presence and encrypted channels: POST `socket_id=…&channel_name=…` plus
 * params (spec §6.1), or the app's custom handler.
 */
export function createChannelAuthorizer(
  options: ChannelAuthorizationOptions,
  fetch: FetchLike,
): ChannelAuthorizer {
  return (request) =>
    callAuthEndpoint({
      options,
      fetch,
      request,
      fields: [
        ['socket_id', request.socketId],
        ['channel_name', request.channelName],
      ],
      validate: validateChannelAuth,
      purpose: 'channel authorization',
    });
}
