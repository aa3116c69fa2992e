import {
  CloseCode,
  describeClose,
  type CloseAction,
  type ErrorData,
  type TransportName,
} from '@tether/protocol';
import type { CloseContext } from './connection.js';

const HIDDEN_REASON_CODES: ReadonlySet<number> = new Set([
  CloseCode.NoStatusReceived,
  CloseCode.AbnormalClosure,
]);
const PUSHER_CODES = { from: 4000, to: 4999 } as const;

export interface CloseInput {
  code: number;
  reason: string;
  wasClean: boolean;
  transport: TransportName;
  /** The `pusher:error` the server sent just before the close, if any. */
  serverError: ErrorData | null;
  duringHandshake: boolean;
  /** Replaces the code's own action (a client-side close such as a pong timeout). */
  action?: CloseAction;
}

/**
 * What the app is told about a close. When the server sent `pusher:error` just before closing and
 * the transport saw only 1005/1006 (a proxy ate the close frame, an HTTP stream dropped), the
 * server's code and reason are reported, and they decide what happens next.
 */
export function closeContext(input: CloseInput): CloseContext {
  let { code, reason } = input;
  const error = input.serverError;
  if (error) {
    const serverCode = error.code;
    if (
      serverCode !== null &&
      serverCode >= PUSHER_CODES.from &&
      serverCode <= PUSHER_CODES.to &&
      HIDDEN_REASON_CODES.has(code)
    ) {
      code = serverCode;
      reason = error.message;
    } else if (reason.trim() === '' && error.message !== '') {
      reason = error.message;
    }
  }
  const described = describeClose(code, reason, {
    duringHandshake: input.duringHandshake,
    ...(input.action !== undefined && { action: input.action }),
  });
  return { ...described, wasClean: input.wasClean, transport: input.transport };
}
