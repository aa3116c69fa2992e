/** Transports that exist as same-named pairs in @tether/server and @tether/client. */
export const TRANSPORT_NAMES = ['websocket', 'sse', 'long-poll'] as const;
export type TransportName = (typeof TRANSPORT_NAMES)[number];

export const TransportNames = {
  WebSocket: 'websocket',
  Sse: 'sse',
  LongPoll: 'long-poll',
} as const satisfies Record<string, TransportName>;

/** pusher-js's own HTTP transports, served by the server only (spec §7). */
export const PUSHER_HTTP_TRANSPORT_NAMES = ['xhr_streaming', 'xhr_polling'] as const;
export type PusherHttpTransportName = (typeof PUSHER_HTTP_TRANSPORT_NAMES)[number];

export const isTransportName = (value: unknown): value is TransportName =>
  typeof value === 'string' && (TRANSPORT_NAMES as readonly string[]).includes(value);

/** True for transports that carry frames over plain HTTP requests. */
export const isHttpTransport = (name: TransportName): boolean => name !== 'websocket';
