import { sendBodyLimitsDefaults } from '@tether/protocol';

/**
 * Every number of the HTTP fallback transports (SSE, long-poll, pusher-js xhr_streaming / xhr_polling).
 * Times in milliseconds.
 */
export const httpFallbackDefaults = {
  /** A session with no receive request attached for this long is destroyed like a dropped WebSocket (spec §7.4.6). */
  sessionGcMs: 10_000,
  /** SSE comment heartbeat (`: hb`) for proxies that cut idle streams. */
  sseHeartbeatMs: 15_000,
  /** A Tether long-poll is held this long before it is answered with an empty batch. */
  longPollHoldMs: 25_000,
  /** pusher-js streams get `h` this often; the client's pong timeout is 30 s (spec §7.4.2, §7.4.6). */
  sockjsHeartbeatMs: 25_000,
  /** A pusher-js poll is held this long before it is answered with `h` (spec §7.4.4). */
  sockjsPollHoldMs: 25_000,
  /** Frames waiting for a receive request (or, for long-poll, for the client's acknowledgement). Past it: close 4110. */
  maxQueuedFrames: 2_000,
  /** UTF-8 bytes of the frames in that queue. Past it: close 4110. */
  maxQueuedBytes: 4 * 1024 * 1024,
  /** Largest request body accepted by a send endpoint (413 above it). */
  maxBodyBytes: sendBodyLimitsDefaults.maxBodyBytes,
  /** Most frames in one send body (400 above it). */
  maxFramesPerBody: sendBodyLimitsDefaults.maxFrames,
} as const;

export type HttpFallbackLimits = { [K in keyof typeof httpFallbackDefaults]: number };
