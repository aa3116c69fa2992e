import type { ErrorRequestHandler } from 'express';
import { ChatErrorCode } from './chat-input.js';
import { HttpStatus, sendChatError } from './chat-error.js';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/**
 * Turns errors raised before a route runs (malformed JSON, a body over the limit) into the same
 * `{ error: { code, message } }` bodies the routes send, instead of Express's HTML error page.
 */
export const jsonErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const { type } = (typeof error === 'object' && error !== null ? error : {}) as BodyParserError;
  if (type === 'entity.too.large') {
    sendChatError(res, HttpStatus.PayloadTooLarge, {
      code: ChatErrorCode.BodyTooLarge,
      message: 'request body too large',
    });
    return;
  }
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    sendChatError(res, HttpStatus.BadRequest, {
      code: ChatErrorCode.InvalidBody,
      message: 'request body could not be parsed',
    });
    return;
  }
  sendChatError(res, HttpStatus.Internal, { code: 'internal', message: 'something went wrong' });
};
