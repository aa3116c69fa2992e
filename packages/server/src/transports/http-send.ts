import { CloseCode, decodeSendBody } from '@tether/protocol';
import type { HttpFallbackContext } from './http-fallback-context.js';
import { readRequestBody, type BodyRequest } from './http-request-body.js';
import { HttpStatus, respond, respondError, type ReceiveResponse } from './http-response.js';
import type { HttpSession } from './http-session.js';

export const SESSION_NOT_FOUND_REASON = 'Session not found' as const;

/** 404 `{ error, code: 4210 }`: the session is unknown, collected or belongs to another app. */
export function sessionNotFound(res: ReceiveResponse): void {
  respondError(res, HttpStatus.NotFound, {
    error: SESSION_NOT_FOUND_REASON,
    code: CloseCode.SessionNotFound,
  });
}

/** 404 for a session that cannot take frames: closed sessions report their own close code. */
function sessionGone(res: ReceiveResponse, session: HttpSession | undefined): void {
  const closing = session?.closing;
  if (closing)
    respondError(res, HttpStatus.NotFound, {
      error: `Session closed: ${closing.reason}`,
      code: closing.code,
    });
  else sessionNotFound(res);
}

/**
 * The send side of every HTTP transport: reads a JSON array of frame strings and hands them to the
 * session in order; 204 when accepted. `find` looks the session up again after the body has arrived,
 * so a session that closed meanwhile is reported, not silently fed.
 */
export async function handleSend(
  context: HttpFallbackContext,
  find: () => HttpSession | undefined,
  req: BodyRequest,
  res: ReceiveResponse,
): Promise<void> {
  const before = find();
  if (!before || before.state !== 'open') {
    sessionGone(res, before);
    return;
  }
  const body = await readRequestBody(req, context.limits.maxBodyBytes);
  if (!body.ok) {
    if (body.reason === 'too_large') {
      respondError(res, HttpStatus.PayloadTooLarge, {
        error: `Body larger than ${context.limits.maxBodyBytes} bytes`,
        code: null,
      });
    }
    return;
  }
  const frames = decodeSendBody(body.text, {
    maxBodyBytes: context.limits.maxBodyBytes,
    maxFrames: context.limits.maxFramesPerBody,
  });
  if (!frames.ok) {
    const status =
      frames.error.code === 'frame_too_large' ? HttpStatus.PayloadTooLarge : HttpStatus.BadRequest;
    respondError(res, status, { error: frames.error.message, code: null });
    return;
  }
  const session = find();
  if (!session || session.state !== 'open') {
    sessionGone(res, session);
    return;
  }
  session.receive(frames.value);
  respond(res, HttpStatus.NoContent, {});
}
