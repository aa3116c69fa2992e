import { decodeSessionCloseBody } from '@tether/protocol';
import type { HttpFallbackContext } from './http-fallback-context.js';
import { readRequestBody, type BodyRequest } from './http-request-body.js';
import { HttpStatus, respond, respondError, type ReceiveResponse } from './http-response.js';
import { sessionNotFound } from './http-send.js';
import type { HttpSession } from './http-session.js';

/**
 * `POST /app/{key}/session/{session}/close`: the client leaves, like a WebSocket close frame. Reads the
 * optional `{code, reason}` body and ends the session at once; 204. Idempotent: a session that has
 * already ended but is still remembered is a 204 too; an unknown one is a 404 (4210).
 */
export async function handleClose(
  context: HttpFallbackContext,
  find: () => HttpSession | undefined,
  req: BodyRequest,
  res: ReceiveResponse,
): Promise<void> {
  if (!find()) {
    sessionNotFound(res);
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
  const close = decodeSessionCloseBody(body.text);
  if (!close.ok) {
    respondError(res, HttpStatus.BadRequest, { error: close.error.message, code: null });
    return;
  }
  const session = find();
  if (!session) {
    sessionNotFound(res);
    return;
  }
  session.closeByClient(close.value.code, close.value.reason);
  respond(res, HttpStatus.NoContent, {});
}
