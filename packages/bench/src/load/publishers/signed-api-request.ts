import { createHash, createHmac } from 'node:crypto';
import { API_AUTH_VERSION, API_SIGNATURE_PARAM, apiCanonicalQuery, apiStringToSign } from '@tether/protocol';
import type { AppCredentials } from '../load-spec.js';

/**
 * Signs HTTP API calls the way the official `pusher` SDK does (spec §6.3), so the generator can send
 * them through its own lean HTTP client instead of the SDK's. Pure functions; time comes in as a parameter.
 */

export interface ApiTrigger {
  channel: string;
  event: string;
  /** Sent verbatim: the SDK passes a string `data` through without re-encoding it. */
  data: string;
}

export interface SignedApiRequest {
  method: 'POST';
  /** Path and signed query, e.g. `/apps/3/events?auth_key=…&auth_signature=…`. */
  path: string;
  body: string;
}

/** Whole seconds since the epoch, truncated as the SDK truncates them. */
export const unixSeconds = (nowMs: number = Date.now()): number => Math.trunc(nowMs / 1000);

/** The JSON body of `trigger(channel, event, data)`, keys in the order the SDK writes them. */
export const triggerBody = (trigger: ApiTrigger): string =>
  JSON.stringify({ name: trigger.event, data: trigger.data, channels: [trigger.channel] });

/**
 * `path?{sorted auth params}&auth_signature={hex}` for a call with a body. Values go into the URL as the
 * SDK puts them (unescaped), which is byte-identical to escaping them for keys made of URL-safe characters.
 */
export function signApiPath(
  app: AppCredentials,
  method: string,
  path: string,
  body: string,
  nowSeconds: number,
): string {
  const query = {
    auth_key: app.key,
    auth_timestamp: String(nowSeconds),
    auth_version: API_AUTH_VERSION,
    body_md5: createHash('md5').update(body, 'utf8').digest('hex'),
  };
  const signature = createHmac('sha256', app.secret)
    .update(apiStringToSign({ method, path, query }))
    .digest('hex');
  return `${path}?${apiCanonicalQuery(query)}&${API_SIGNATURE_PARAM}=${signature}`;
}

/** The request `pusher.trigger(channel, event, data)` sends for a string `data`. */
export function signedTriggerRequest(
  app: AppCredentials,
  trigger: ApiTrigger,
  nowSeconds: number = unixSeconds(),
): SignedApiRequest {
  const method = 'POST';
  const body = triggerBody(trigger);
  return { method, path: signApiPath(app, method, `/apps/${app.id}/events`, body, nowSeconds), body };
}
