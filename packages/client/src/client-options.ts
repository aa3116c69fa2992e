import type { Connection } from './connection/connection.js';
import type { ConnectionOptions } from './options.js';
import type { Platform } from './platform/platform.js';

/**
 * Options of the API layer (channels, auth, sign-in, client events), with pusher-js names.
 * `tetherDefaults` is the single source of every default.
 */

/** What a channel authorizer gets. */
export interface ChannelAuthRequest {
  socketId: string;
  channelName: string;
}

/** What an auth endpoint (or custom handler) returns for a channel. */
export interface ChannelAuthData {
  auth: string;
  /** Presence channels: the exact JSON string that was signed. */
  channel_data?: string;
  /** Encrypted channels. */
  shared_secret?: string;
}

export interface UserAuthRequest {
  socketId: string;
}

/** What a user-auth endpoint (or custom handler) returns. */
export interface UserAuthData {
  auth: string;
  /** The exact JSON string that was signed; holds at least a string `id`. */
  user_data: string;
}

/** pusher-js's callback, also accepted here: `callback(null, data)` or `callback(error, null)`. */
export type AuthCallback<T> = (error: Error | null, data: T | null) => void;

/**
 * A custom authorizer. Either call `callback` (as with pusher-js) or return a promise of the data;
 * a rejected promise or an error passed to the callback becomes a `pusher:subscription_error`.
 */
export type AuthHandler<Req, Data> = (
  request: Req,
  callback: AuthCallback<Data>,
) => void | Data | Promise<Data>;

export interface AuthEndpointOptions<Req, Data> {
  /** POSTed to with a form body; relative URLs work in browsers only (Node's fetch needs an absolute URL). */
  endpoint: string;
  headers: Record<string, string>;
  /** Added to the form body after `socket_id` (and `channel_name`). */
  params: Record<string, string>;
  /** Called on every request; its entries override `headers`. */
  headersProvider: (() => Record<string, string>) | null;
  /** Called on every request; its entries override `params`. */
  paramsProvider: (() => Record<string, string>) | null;
  /** Replaces the HTTP call entirely. */
  customHandler: AuthHandler<Req, Data> | null;
}

export type ChannelAuthorizationOptions = AuthEndpointOptions<ChannelAuthRequest, ChannelAuthData>;
export type UserAuthenticationOptions = AuthEndpointOptions<UserAuthRequest, UserAuthData>;

export interface TetherApiOptions {
  /** pusher-js's older name for `channelAuthorization.endpoint`. */
  authEndpoint?: string;
  /** pusher-js's older name for `channelAuthorization.headers` / `.params`. */
  auth?: { headers?: Record<string, string>; params?: Record<string, string> };
  channelAuthorization?: Partial<ChannelAuthorizationOptions>;
  userAuthentication?: Partial<UserAuthenticationOptions>;
  /** Client events triggered while not connected (or not yet subscribed) wait here, up to this many. */
  clientEventQueueSize?: number;
  /** Connect in the constructor, as pusher-js does. */
  autoConnect?: boolean;
  /** The environment (fetch, timers, sockets); the entry point supplies the browser or Node one. */
  platform?: Platform;
  /** A ready-made connection (tests, custom transports); replaces the built-in ConnectionManager. */
  connection?: Connection;
}

export const tetherDefaults = {
  channelAuthorizationEndpoint: '/pusher/auth',
  userAuthenticationEndpoint: '/pusher/user-auth',
  /** Client events held while offline; beyond this `trigger` returns false with `client_event_queue_full`. */
  clientEventQueueSize: 100,
  autoConnect: true,
} as const;

export interface ResolvedApiOptions {
  channelAuthorization: ChannelAuthorizationOptions;
  userAuthentication: UserAuthenticationOptions;
  clientEventQueueSize: number;
  autoConnect: boolean;
}

export function resolveApiOptions(options: TetherApiOptions): ResolvedApiOptions {
  return {
    channelAuthorization: endpointOptions(
      options.channelAuthorization ?? {},
      options.authEndpoint ?? tetherDefaults.channelAuthorizationEndpoint,
      options.auth,
    ),
    userAuthentication: endpointOptions(
      options.userAuthentication ?? {},
      tetherDefaults.userAuthenticationEndpoint,
    ),
    clientEventQueueSize: options.clientEventQueueSize ?? tetherDefaults.clientEventQueueSize,
    autoConnect: options.autoConnect ?? tetherDefaults.autoConnect,
  };
}

/** One endpoint's options; `legacy` is pusher-js's older `auth: { headers, params }`, under the new ones. */
function endpointOptions<Req, Data>(
  given: Partial<AuthEndpointOptions<Req, Data>>,
  defaultEndpoint: string,
  legacy: TetherApiOptions['auth'] = {},
): AuthEndpointOptions<Req, Data> {
  return {
    endpoint: given.endpoint ?? defaultEndpoint,
    headers: { ...legacy.headers, ...given.headers },
    params: { ...legacy.params, ...given.params },
    headersProvider: given.headersProvider ?? null,
    paramsProvider: given.paramsProvider ?? null,
    customHandler: given.customHandler ?? null,
  };
}

/**
 * Every option of `new Tether(key, options)`: the API layer's (above) and the connection's
 * (`host`, `port`, `forceTLS`, `enabledTransports`, timeouts... see `connectionDefaults`).
 */
export type TetherOptions = TetherApiOptions & Omit<ConnectionOptions, 'key'>;
