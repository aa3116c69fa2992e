import {
  encodeSockjsArray,
  encodeSockjsClose,
  SOCKJS_HEARTBEAT,
  SOCKJS_STREAM_CONTENT_TYPE,
  SOCKJS_STREAM_ROTATION_CHARS,
} from '@tether/protocol';
import type { HttpFallbackLimits } from './http-fallback-options.js';
import { sharedEncoder } from './http-shared-chunk.js';
import type { StreamFraming } from './http-stream-receiver.js';

/** Headers of pusher-js's receive responses (spec §7.4.8): never cached, never buffered or compressed. */
export const SOCKJS_RESPONSE_HEADERS = {
  'Content-Type': SOCKJS_STREAM_CONTENT_TYPE,
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

/** Every stream handed the same frames in a turn writes the same `a[...]` line, encoded once. */
const encodeSockjsChunk = sharedEncoder(encodeSockjsArray);

/**
 * pusher-js `xhr_streaming`: `a[...]` lines as frames come, `h` every `sockjsHeartbeatMs`, never ended
 * by the server except after `c[...]`. Past 256 KiB written the client re-opens the stream on the same
 * session, so nothing more is written to a response once it passes that mark (spec §7.4.3).
 */
export const sockjsStreamFraming = (
  limits: Pick<HttpFallbackLimits, 'sockjsHeartbeatMs'>,
): StreamFraming => ({
  headers: SOCKJS_RESPONSE_HEADERS,
  frames: encodeSockjsChunk,
  heartbeat: () => SOCKJS_HEARTBEAT,
  close: encodeSockjsClose,
  heartbeatMs: limits.sockjsHeartbeatMs,
  rotationChars: SOCKJS_STREAM_ROTATION_CHARS,
});
