/**
 * Pusher Channels protocol v7 frames (spec §5.3), split by direction.
 *
 * Server-to-client `data` is held decoded here; `encodeFrame` double-encodes it on the way out.
 * Channel events carry `data` the way it arrived: a string from the HTTP API passes through verbatim.
 */

export const PROTOCOL_VERSION = 7 as const;

/** Every event name the protocol defines, by the name we use in code. */
export const PusherEvent = {
  ConnectionEstablished: 'pusher:connection_established',
  Error: 'pusher:error',
  Ping: 'pusher:ping',
  Pong: 'pusher:pong',
  Subscribe: 'pusher:subscribe',
  Unsubscribe: 'pusher:unsubscribe',
  Signin: 'pusher:signin',
  SigninSuccess: 'pusher:signin_success',
  SubscriptionSucceeded: 'pusher_internal:subscription_succeeded',
  SubscriptionError: 'pusher:subscription_error',
  MemberAdded: 'pusher_internal:member_added',
  MemberRemoved: 'pusher_internal:member_removed',
  SubscriptionCount: 'pusher_internal:subscription_count',
  CacheMiss: 'pusher:cache_miss',
  WatchlistEvents: 'pusher_internal:watchlist_events',
} as const;
export type PusherEventName = (typeof PusherEvent)[keyof typeof PusherEvent];

/** Prefix of every event a client may send to other clients (spec §5.6). */
export const CLIENT_EVENT_PREFIX = 'client-' as const;
export type ClientEventName = `${typeof CLIENT_EVENT_PREFIX}${string}`;

export const isClientEventName = (event: string): event is ClientEventName =>
  event.startsWith(CLIENT_EVENT_PREFIX) && event.length > CLIENT_EVENT_PREFIX.length;

/** Names reserved for the protocol itself: an app may not trigger them. */
export const isReservedEventName = (event: string): boolean =>
  event.startsWith('pusher:') || event.startsWith('pusher_internal:');

// ---------------------------------------------------------------------------------------------
// Payloads

export interface ConnectionEstablishedData {
  socket_id: string;
  /** Seconds; always > 0 (pusher-js wedges on 0, spec §2). */
  activity_timeout: number;
}

export interface ErrorData {
  message: string;
  code: number | null;
}

export interface SubscribeData {
  channel: string;
  auth?: string;
  /** Presence only: the exact JSON string that was signed. */
  channel_data?: string;
}

export interface SigninData {
  auth: string;
  /** The exact JSON string that was signed; holds at least a string `id`. */
  user_data: string;
}

export interface PresenceSnapshot {
  presence: {
    ids: string[];
    hash: Record<string, unknown>;
    count: number;
  };
}

export interface SubscriptionErrorData {
  type: string;
  error: string;
  status: number;
}

export interface MemberAddedData {
  user_id: string;
  user_info?: unknown;
}

export interface WatchlistEventsData {
  events: { name: 'online' | 'offline'; user_ids: string[] }[];
}

// ---------------------------------------------------------------------------------------------
// Client → server

export type ClientFrame =
  | { event: typeof PusherEvent.Ping; data: Record<string, never> }
  | { event: typeof PusherEvent.Pong; data: Record<string, never> }
  | { event: typeof PusherEvent.Subscribe; data: SubscribeData }
  | { event: typeof PusherEvent.Unsubscribe; data: { channel: string } }
  | { event: typeof PusherEvent.Signin; data: SigninData }
  | ClientEventFrame;

export interface ClientEventFrame {
  event: ClientEventName;
  channel: string;
  data: unknown;
}

// ---------------------------------------------------------------------------------------------
// Server → client

export type ServerFrame =
  | { event: typeof PusherEvent.ConnectionEstablished; data: ConnectionEstablishedData }
  | { event: typeof PusherEvent.Error; data: ErrorData }
  | { event: typeof PusherEvent.Ping; data: Record<string, never> }
  | { event: typeof PusherEvent.Pong; data: Record<string, never> }
  | { event: typeof PusherEvent.SigninSuccess; data: { user_data: string } }
  | {
      event: typeof PusherEvent.SubscriptionSucceeded;
      channel: string;
      data: Record<string, never> | PresenceSnapshot;
    }
  | { event: typeof PusherEvent.SubscriptionError; channel: string; data: SubscriptionErrorData }
  | { event: typeof PusherEvent.MemberAdded; channel: string; data: MemberAddedData }
  | { event: typeof PusherEvent.MemberRemoved; channel: string; data: { user_id: string } }
  | { event: typeof PusherEvent.SubscriptionCount; channel: string; data: { subscription_count: number } }
  | { event: typeof PusherEvent.CacheMiss; channel: string }
  | { event: typeof PusherEvent.WatchlistEvents; data: WatchlistEventsData }
  | ChannelEventFrame;

/** An app event (HTTP API trigger) or a relayed client event. */
export interface ChannelEventFrame {
  event: string;
  channel: string;
  /** A string is sent verbatim (already encoded by the publisher); anything else is JSON-encoded. */
  data: unknown;
  /** Presence client events carry the sender's user id (spec §5.6). */
  user_id?: string;
}

/** Any frame, either direction, as it sits on the wire before its event is interpreted. */
export interface RawFrame {
  event: string;
  channel?: string;
  data?: unknown;
  user_id?: string;
}

const PROTOCOL_EVENTS: ReadonlySet<string> = new Set(Object.values(PusherEvent));

/** True for events the protocol defines (as opposed to app events on a channel). */
export const isProtocolEvent = (event: string): event is PusherEventName => PROTOCOL_EVENTS.has(event);
