import {
  CURSOR_PARAM,
  encodeLongPollBatch,
  LONG_POLL_CONTENT_TYPE,
  parseCursor,
  type LongPollBatch,
} from '@tether/protocol';
import {
  newHttpSessionId,
  refusalFrame,
  type HttpFallbackContext,
  type ReceiveRequestInfo,
} from './http-fallback-context.js';
import { HttpStatus, respond, respondError, type ReceiveResponse } from './http-response.js';
import { PollReceiver, type PollFraming } from './http-poll-receiver.js';
import type { HttpSession } from './http-session.js';
import { sessionNotFound } from './http-send.js';

const HEADERS = { 'Content-Type': LONG_POLL_CONTENT_TYPE } as const;

/**
 * A poll that asked for the frames from `cursor` on. Frames stay queued until a later poll's cursor
 * passes them, so a batch lost in flight is sent again.
 */
export const longPollFraming = (cursor: number, holdMs: number): PollFraming => ({
  headers: HEADERS,
  answer(session: HttpSession) {
    const frames = session.queue.from(cursor);
    const closing = session.closing;
    if (frames.length === 0 && closing === null) return null;
    const batch: LongPollBatch = { session: session.id, cursor: cursor + frames.length, frames };
    if (closing) batch.close = { code: closing.code, reason: closing.reason };
    return encodeLongPollBatch(batch);
  },
  idle: (session: HttpSession) => encodeLongPollBatch({ session: session.id, cursor, frames: [] }),
  holdMs,
});

/**
 * `GET {prefix}/app/{key}/long-poll?protocol=7&…`: opens a session and answers at once with its first
 * batch (`connection_established`). A refused open is a 200 batch holding `pusher:error` and the close.
 */
export function openLongPoll(
  context: HttpFallbackContext,
  request: ReceiveRequestInfo,
  res: ReceiveResponse,
): void {
  const opened = context.sessions.open({
    ...request,
    id: newHttpSessionId(),
    name: 'long-poll',
    reattachable: true,
  });
  if (!opened.ok) {
    const close = { code: opened.closeCode, reason: opened.reason };
    const body = encodeLongPollBatch({
      session: '',
      cursor: 0,
      frames: [refusalFrame(close.code, close.reason)],
      close,
    });
    respond(res, HttpStatus.Ok, HEADERS, body);
    return;
  }
  const session = opened.session;
  session.attach(
    new PollReceiver(
      session,
      res,
      longPollFraming(session.queue.base, context.limits.longPollHoldMs),
      context.clock,
    ),
  );
}

/**
 * `GET {prefix}/app/{key}/long-poll/{session}?cursor=N`: drops the frames before N (the client has them),
 * then answers with the frames from N on, or holds until there are some or the hold time passes (empty
 * batch). A newer poll on the same session ends the held one with an empty batch.
 */
export function pollLongPoll(
  context: HttpFallbackContext,
  request: ReceiveRequestInfo,
  sessionId: string,
  res: ReceiveResponse,
): void {
  const session = context.sessions.get(sessionId);
  if (!session || session.key !== request.key || session.name !== 'long-poll' || session.state === 'dead') {
    sessionNotFound(res);
    return;
  }
  const cursor = parseCursor(request.query.get(CURSOR_PARAM));
  if (cursor === null || cursor > session.queue.next) {
    respondError(res, HttpStatus.BadRequest, {
      error: `${CURSOR_PARAM} must be a whole number no larger than ${session.queue.next}`,
      code: null,
    });
    return;
  }
  session.queue.dropBefore(cursor);
  const from = Math.max(cursor, session.queue.base);
  session.attach(
    new PollReceiver(session, res, longPollFraming(from, context.limits.longPollHoldMs), context.clock),
  );
}
