import { parseJsonSafely } from '@tether/protocol';
import type { AuthEndpointOptions, AuthHandler } from '../client-options.js';
import type { FetchLike } from '../platform/platform.js';
import { errorMessage } from '../error-message.js';

/**
 * One auth round trip, shared by channel authorization and user authentication: either the app's
 * custom handler, or a POST of a form body to the endpoint, exactly as pusher-js sends it (spec §6.1),
 * so existing Pusher auth endpoints keep working. Never throws: failures come back as values.
 */

export type AuthOutcome<T> = { ok: true; data: T } | { ok: false; status: number; error: string };

/** HTTP status the endpoint must answer with. */
const HTTP_OK = 200;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/** `a=1&b=2`, each key and value percent-encoded, in the order given. */
export const formBody = (fields: readonly (readonly [string, string])[]): string =>
  fields.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');

export interface AuthCall<Req, Data> {
  options: AuthEndpointOptions<Req, Data>;
  fetch: FetchLike;
  request: Req;
  /** The fields that come first in the body (`socket_id`, then `channel_name`). */
  fields: readonly (readonly [string, string])[];
  /** Checks the endpoint's JSON; returns the data or a sentence saying what is wrong. */
  validate: (json: unknown) => Data | string;
  /** Names the endpoint in error messages, e.g. "channel authorization". */
  purpose: string;
}

export async function callAuthEndpoint<Req, Data>(call: AuthCall<Req, Data>): Promise<AuthOutcome<Data>> {
  const { options } = call;
  if (options.customHandler !== null) return callCustomHandler(options.customHandler, call);

  const params = { ...options.params, ...(options.paramsProvider?.() ?? {}) };
  const headers = {
    ...options.headers,
    ...(options.headersProvider?.() ?? {}),
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  const body = formBody([...call.fields, ...Object.entries(params)]);
  let status: number;
  let text: string;
  try {
    const response = await call.fetch(options.endpoint, { method: 'POST', headers, body });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return {
      ok: false,
      status: 0,
      error: `${call.purpose} request to ${options.endpoint} failed: ${errorMessage(error)}`,
    };
  }
  if (status !== HTTP_OK) {
    return {
      ok: false,
      status,
      error: `${call.purpose} endpoint ${options.endpoint} answered ${status}: ${text.slice(0, 200)}`,
    };
  }
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) {
    return {
      ok: false,
      status,
      error: `JSON returned from the ${call.purpose} endpoint was invalid: ${parsed.error.message}`,
    };
  }
  return validated(call, status, parsed.value);
}

function validated<Req, Data>(call: AuthCall<Req, Data>, status: number, json: unknown): AuthOutcome<Data> {
  const result = call.validate(json);
  if (typeof result === 'string') return { ok: false, status, error: `${call.purpose} response ${result}` };
  return { ok: true, data: result };
}

function callCustomHandler<Req, Data>(
  handler: AuthHandler<Req, Data>,
  call: AuthCall<Req, Data>,
): Promise<AuthOutcome<Data>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: AuthOutcome<Data>): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const fromError = (error: unknown): AuthOutcome<Data> => ({
      ok: false,
      status: 0,
      error: `custom ${call.purpose} handler failed: ${errorMessage(error)}`,
    });
    try {
      const returned = handler(call.request, (error, data) => {
        if (error !== null) settle(fromError(error));
        else settle(validated(call, HTTP_OK, data));
      });
      if (isThenable(returned)) {
        returned.then(
          (data) => settle(validated(call, HTTP_OK, data)),
          (error: unknown) => settle(fromError(error)),
        );
      } else if (returned !== undefined) {
        settle(validated(call, HTTP_OK, returned));
      }
    } catch (error) {
      settle(fromError(error));
    }
  });
}
