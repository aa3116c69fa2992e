import { CloseCode } from './close-codes.js';

/**
 * Every way untrusted input can be wrong, with a stable code and what to do about it.
 * `closeCode: null` means "answer with `pusher:error` and keep the connection": one bad frame from a
 * client is its own problem, never a reason to drop its other subscriptions.
 */
export const ProtocolErrors = {
  binary_frame: { closeCode: CloseCode.UnsupportedData, message: 'Binary frames are not supported' },
  frame_too_large: { closeCode: CloseCode.MessageTooBig, message: 'Frame exceeds the size limit' },
  invalid_json: { closeCode: null, message: 'Frame is not valid JSON' },
  not_an_object: { closeCode: null, message: 'Frame must be a JSON object' },
  missing_event: { closeCode: null, message: 'Frame has no string "event" field' },
  invalid_field: { closeCode: null, message: 'Frame field has the wrong type' },
  forbidden_key: { closeCode: null, message: 'Frame has a forbidden key' },
  unknown_event: { closeCode: null, message: 'Unknown protocol event' },
  invalid_data: { closeCode: null, message: 'Invalid event data' },
  invalid_channel: { closeCode: null, message: 'Invalid channel name' },
  invalid_body: { closeCode: null, message: 'Invalid request body' },
} as const satisfies Record<string, { closeCode: number | null; message: string }>;

export type ProtocolErrorCode = keyof typeof ProtocolErrors;

export interface ProtocolError {
  code: ProtocolErrorCode;
  /** The close code to send, or null to reply with `pusher:error` and keep the connection. */
  closeCode: number | null;
  /** Safe to show to the sender: never echoes large or binary input back. */
  message: string;
}

export type Result<T, E = ProtocolError> = { ok: true; value: T } | { ok: false; error: E };

export function protocolError(code: ProtocolErrorCode, detail?: string): ProtocolError {
  const entry = ProtocolErrors[code];
  return {
    code,
    closeCode: entry.closeCode,
    message: detail ? `${entry.message}: ${detail}` : entry.message,
  };
}

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = (code: ProtocolErrorCode, detail?: string): { ok: false; error: ProtocolError } => ({
  ok: false,
  error: protocolError(code, detail),
});
