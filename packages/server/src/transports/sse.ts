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
import { StreamReceiver, type StreamFraming } from './http-stream-receiver.js';

/**
 * A fan-out hands the same frame string to every stream in turn: encode it once and give every
 * stream the same SSE chunk, instead of splitting and re-joining it per recipient.
 */
function createSharedSseEncoder(): (frame: string) => string {
  let lastFrame: string | undefined;
  let lastChunk = '';
  return (frame) => {
    if (frame !== lastFrame) {
      lastFrame = frame;
      lastChunk = encodeSseFrame(frame);
    }
    return lastChunk;
  };
}

const encodeSharedSseFrame = createSharedSseEncoder();

export const sseFraming = (limits: Pick<HttpFallbackLimits, 'sseHeartbeatMs'>): StreamFraming => ({
  headers: SSE_RESPONSE_HEADERS,
  frames: (frames) =>
    frames.length === 1 ? encodeSharedSseFrame(frames[0] ?? '') : frames.map(encodeSharedSseFrame).join(''),
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
    new StreamReceiver(session, res, sseFraming(context.limits), context.clock, encodeSseOpen(id)),
  );
}
