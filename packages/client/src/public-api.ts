/** Everything both entry points export besides the `Tether` class itself (which each binds to its platform). */
export type { TetherEnvironment } from './client.js';
export { Channel } from './channels/channel.js';
export { PrivateChannel } from './channels/private-channel.js';
export { PresenceChannel } from './channels/presence-channel.js';
export { Members, type Member } from './channels/members.js';
export { TetherUser } from './user.js';
export { TetherError, TetherErrorCode } from './client-errors.js';
export {
  tetherDefaults,
  type TetherOptions,
  type TetherApiOptions,
  type ChannelAuthorizationOptions,
  type UserAuthenticationOptions,
  type ChannelAuthRequest,
  type ChannelAuthData,
  type UserAuthRequest,
  type UserAuthData,
  type AuthHandler,
  type AuthCallback,
} from './client-options.js';
export { connectionDefaults, type ConnectionOptions } from './options.js';
export { ConnectionState } from './connection/connection-state.js';
export type {
  Connection,
  ConnectionEvents,
  ConnectionEventName,
  ConnectionListener,
  ConnectionDiagnostics,
  ConnectionErrorContext,
  CloseContext,
  TransportDiagnostics,
} from './connection/connection.js';
export type {
  Platform,
  FetchLike,
  KeyValueStorage,
  ClientClock,
  NetworkSignals,
  WebSocketLike,
  WebSocketConstructor,
  EventSourceLike,
  EventSourceConstructor,
} from './platform/platform.js';
export { EventDispatcher } from './events.js';
export type {
  Listener,
  ChannelEvents,
  ChannelEventContext,
  SubscriptionSucceededContext,
  SubscriptionErrorContext,
  SubscriptionCountContext,
  CacheMissContext,
  MemberContext,
  TetherEvents,
  TetherErrorContext,
  ServerErrorContext,
  SigninSuccessContext,
  SigninErrorContext,
  UserEvents,
  WatchlistEvents,
  WatchlistEventContext,
} from './events.js';
