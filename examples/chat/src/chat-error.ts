import type { Response } from 'express';
import type { ChatInputError } from './chat-input.js';

export const HttpStatus = {
  Ok: 200,
  Created: 201,
  BadRequest: 400,
  Forbidden: 403,
  NotFound: 404,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  Internal: 500,
  ServiceUnavailable: 503,
} as const;
export type HttpStatus = (typeof HttpStatus)[keyof typeof HttpStatus];

/** Every error the chat backend answers with: `{ error: { code, message } }`, code stable, message for people. */
export function sendChatError(
  res: Response,
  status: HttpStatus,
  error: ChatInputError | { code: string; message: string },
): void {
  res.status(status).json({ error: { code: error.code, message: error.message } });
}
