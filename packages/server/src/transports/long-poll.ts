import {
  CURSOR_PARAM,
  encodeLongPollBatch,
  encodeLongPollBatchAfterHead,
  encodeLongPollBatchHead,
  encodeLongPollFrames,
  LONG_POLL_CONTENT_TYPE,
  parseCursor,
} from '@tether/protocol';
import {
  newHttpSessionId,
  refusalFrame,
  type HttpFallbackContext,
  type ReceiveRequestInfo,
} from './http-fallback-context.js';
import {
  CORS_HEADERS,
  HttpStatus,
  NO_STORE,
  respond,
  respondError,
  type ReceiveResponse,
} from './http-response.js';
import { headersByLength, PollReceiver, type PollFraming } from './http-poll-receiver.js';
import type { HttpSession } from './http-session.js';
import { sharedEncoder } from './http-shared-chunk.js';
import { sessionNotFound } from './http-send.js';

const HEADERS = { 'Content-Type': LONG_POLL_CONTENT_TYPE } as const;

/** Every poll answered in one fan-out carries the same frames: their JSON is built once. */
const encodeFramesShared = sharedEncoder(encodeLongPollFrames);
const NO_FRAMES = encodeLongPollFrames([]);

/**
 * A poll asks for the frames from its cursor on. Frames stay queued until a later poll's cursor passes
 * them, so a batch lost in flight is sent again.
 */
export const longPollFraming: PollFraming = {
  headers: headersByLength((contentLength) => ({
    'Access-Control-Allow-Origin': CORS_HEADERS['Access-Control-Allow-Origin'],
    'Cache-Control': NO_STORE['Cache-Control'],
    'Content-Type': HEADERS['Content-Type'],
    'Content-Length': contentLength,
  })),
  answer(session: HttpSession, cursor: number) {
    const frames = session.queue.from(cursor);
    const closing = session.closing;
    if (frames.length === 0 && closing === null) return null;
    const encoded = frames.length === 0 ? NO_FRAMES : encodeFramesShared(frames);
    return encodeLongPollBatchAfterHead(
      batchHead(session),
      cursor + frames.length,
      encoded,
      closing ?? undefined,
    );
  },
  idle: (session: HttpSession, cursor: number) =>
    encodeLongPollBatchAfterHead(batchHead(session), cursor, NO_FRAMES),
};

/** `{"session":"<id>","cursor":`, built once per session. */
function batchHead(session: HttpSession): string {
  return (session.framingMemo ??= encodeLongPollBatchHead(session.id));
}

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
      longPollFraming,
      context.expiries.for(context.limits.longPollHoldMs),
      session.queue.base,
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
  request: { key: string; cursor: string | null },
  sessionId: string,
  res: ReceiveResponse,
): void {
  const session = context.sessions.get(sessionId);
  if (!session || session.key !== request.key || session.name !== 'long-poll' || session.state === 'dead') {
    sessionNotFound(res);
    return;
  }
  const cursor = parseCursor(request.cursor);
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
    new PollReceiver(
      session,
      res,
      longPollFraming,
      context.expiries.for(context.limits.longPollHoldMs),
      from,
    ),
  );
}
