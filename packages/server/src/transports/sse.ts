import {
  encodeSseClose,
  encodeSseFrame,
  encodeSseHeartbeat,
  encodeSseOpen,
  SSE_RESPONSE_HEADERS,
} from '@tether/protocol';
import {
  newHttpSessionId,
  refusalFrame,
  type HttpFallbackContext,
  type ReceiveRequestInfo,
} from './http-fallback-context.js';
import type { HttpFallbackLimits } from './http-fallback-options.js';
import { CORS_HEADERS, HttpStatus, type ReceiveResponse } from './http-response.js';
import { sharedEncoder } from './http-shared-chunk.js';
import { StreamReceiver, type StreamFraming } from './http-stream-receiver.js';

/** Every stream handed the same frames in a turn writes the same chunk, encoded once. */
const encodeSseChunk = sharedEncoder((frames) => {
  let text = '';
  for (const frame of frames) text += encodeSseFrame(frame);
  return text;
});

export const sseFraming = (limits: Pick<HttpFallbackLimits, 'sseHeartbeatMs'>): StreamFraming => ({
  headers: SSE_RESPONSE_HEADERS,
  frames: encodeSseChunk,
  heartbeat: encodeSseHeartbeat,
  close: encodeSseClose,
  heartbeatMs: limits.sseHeartbeatMs,
  rotationChars: Number.POSITIVE_INFINITY,
});

/**
 * `GET {prefix}/app/{key}/sse?protocol=7&…`: opens a session and keeps the response as its only stream.
 * The stream starts with the session event, then carries frames; a server close ends it with
 * `event: close`. There is no route to re-attach, so a stream the client drops ends its session at once.
 * A refused open is still a 200 event stream (EventSource hides any other status): `pusher:error`, then close.
 */
export function openSse(
  context: HttpFallbackContext,
  request: ReceiveRequestInfo,
  res: ReceiveResponse,
): void {
  const id = newHttpSessionId();
  const opened = context.sessions.open({ ...request, id, name: 'sse', reattachable: false });
  if (!opened.ok) {
    res.writeHead(HttpStatus.Ok, { ...CORS_HEADERS, ...SSE_RESPONSE_HEADERS });
    res.end(
      encodeSseFrame(refusalFrame(opened.closeCode, opened.reason)) +
        encodeSseClose(opened.closeCode, opened.reason),
    );
    return;
  }
  const session = opened.session;
  session.attach(
    new StreamReceiver(session, res, context.framings.sse, context.heartbeats, encodeSseOpen(id)),
  );
}
