/**
 * What the load generator must speak to one target: how subscribers connect and how messages are
 * published. Plain data, sent to the generator process over IPC.
 */

/** An app of a Pusher-protocol server (Tether): used to sign private-channel auth and HTTP API calls. */
export interface AppCredentials {
  id: string;
  key: string;
  secret: string;
}

export const SOCKET_IO_TRANSPORTS = ['websocket', 'polling'] as const;
export type SocketIoTransport = (typeof SOCKET_IO_TRANSPORTS)[number];

export type SubscriberSpec =
  /** Raw ws baseline: connect to `/`, send `pusher:subscribe`, await `subscription_succeeded`. */
  | { kind: 'raw-ws' }
  /** Pusher protocol 7 over WebSocket: `/app/KEY?protocol=7…`, await `connection_established` first. */
  | { kind: 'pusher-ws'; app: AppCredentials }
  | { kind: 'socketio'; transport: SocketIoTransport }
  | { kind: 'raw-sse' }
  | { kind: 'raw-long-poll' }
  /** Tether's SSE transport: EventSource-style stream down, POST up. */
  | { kind: 'tether-sse'; app: AppCredentials }
  /** Tether's long-poll transport: held GET down, POST up. */
  | { kind: 'tether-long-poll'; app: AppCredentials };

export type PublisherSpec =
  /** A raw ws connection sending a client-event-shaped frame per message. */
  | { kind: 'raw-ws' }
  /** A Pusher-protocol WebSocket subscribed to the (private) channel, triggering client events. */
  | { kind: 'pusher-client-event'; app: AppCredentials }
  | { kind: 'socketio'; transport: SocketIoTransport }
  /** `POST /publish` of the raw HTTP baselines. */
  | { kind: 'raw-http' }
  /** `POST /apps/ID/events`, signed as the `pusher` SDK signs it. */
  | { kind: 'pusher-http-api'; app: AppCredentials };

export interface LoadSpec {
  channel: string;
  /** Event name of every published message (`client-…` for client events). */
  event: string;
  subscriber: SubscriberSpec;
  publisher: PublisherSpec;
}
