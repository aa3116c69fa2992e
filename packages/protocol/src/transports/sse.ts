import { fail, ok, type Result } from '../errors.js';

/**
 * Tether's SSE stream (server → client). Each Pusher frame is one `message` event whose data is
 * the encoded frame; two named events frame the session:
 *
 *   event: session            data: {"session":"<id>"}                 first, exactly once
 *   data: {"event":…}         one encoded server frame per event
 *   : hb                      comment heartbeat for proxies
 *   event: close              data: {"code":4001,"reason":"…"}       last; the client stops
 *
 * `retry` is set high so EventSource never reconnects on its own: reconnecting is the client's job.
 */

export const SseEvent = {
  Session: 'session',
  Message: 'message',
  Close: 'close',
} as const;
export type SseEventName = (typeof SseEvent)[keyof typeof SseEvent];

export const SSE_CONTENT_TYPE = 'text/event-stream; charset=utf-8' as const;
/** Header set for an SSE response: no caching, no transforms, no proxy buffering, no compression. */
export const SSE_RESPONSE_HEADERS = {
  'Content-Type': SSE_CONTENT_TYPE,
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
  'Content-Encoding': 'identity',
  Connection: 'keep-alive',
} as const;

/** One day: EventSource must not reconnect on its own. */
export const SSE_RETRY_MS = 86_400_000;

const lines = (field: string, value: string): string =>
  value
    .split(/\r\n|\r|\n/)
    .map((line) => `${field}: ${line}\n`)
    .join('');

/** Stream preamble: the retry hint and the session event. */
export const encodeSseOpen = (session: string): string =>
  `retry: ${SSE_RETRY_MS}\nevent: ${SseEvent.Session}\n${lines('data', JSON.stringify({ session }))}\n`;

/** One encoded server frame; `id` (reserved for resume offsets) is written when given. */
export const encodeSseFrame = (frame: string, id?: string): string =>
  `${id === undefined ? '' : `id: ${id}\n`}${lines('data', frame)}\n`;

export const encodeSseHeartbeat = (): string => ': hb\n\n';

export const encodeSseClose = (code: number, reason: string): string =>
  `event: ${SseEvent.Close}\n${lines('data', JSON.stringify({ code, reason }))}\n`;

// ---------------------------------------------------------------------------------------------
// Reading

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental text/event-stream parser (WHATWG HTML §9.2.6): feed chunks, get complete events.
 * Used where no EventSource exists and by tests.
 */
export class SseReader {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  /** The last chunk ended in CR: a LF at the start of the next chunk is the rest of that CRLF. */
  private afterCr = false;

  push(chunk: string): SseMessage[] {
    if (this.afterCr && chunk.length > 0) {
      this.afterCr = false;
      if (chunk.startsWith('\n')) chunk = chunk.slice(1);
    }
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.afterCr =
        width === 1 && this.buffer.charAt(newline) === '\r' && newline + 1 === this.buffer.length;
      this.buffer = this.buffer.slice(newline + width);
      if (line === '') {
        if (this.data.length > 0) {
          const message: SseMessage = { event: this.event || SseEvent.Message, data: this.data.join('\n') };
          if (this.id !== undefined) message.id = this.id;
          out.push(message);
        }
        this.data = [];
        this.event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id' && !value.includes('\0')) this.id = value;
    }
    return out;
  }
}

export type SseSignal =
  | { type: 'session'; session: string }
  | { type: 'frame'; frame: string; id?: string }
  | { type: 'close'; code: number; reason: string };

/** Interprets one SSE message of Tether's stream. Never throws. */
export function readSseMessage(message: SseMessage): Result<SseSignal> {
  switch (message.event) {
    case SseEvent.Message:
      return ok(
        message.id === undefined
          ? { type: 'frame', frame: message.data }
          : { type: 'frame', frame: message.data, id: message.id },
      );
    case SseEvent.Session:
    case SseEvent.Close: {
      let value: unknown;
      try {
        value = JSON.parse(message.data);
      } catch {
        return fail('invalid_body', `${message.event} event data is not JSON`);
      }
      if (typeof value !== 'object' || value === null)
        return fail('invalid_body', `${message.event} event data is not an object`);
      const record = value as Record<string, unknown>;
      if (message.event === SseEvent.Session) {
        return typeof record.session === 'string'
          ? ok({ type: 'session', session: record.session })
          : fail('invalid_body', 'no session id');
      }
      const code = typeof record.code === 'number' ? record.code : 1006;
      return ok({ type: 'close', code, reason: typeof record.reason === 'string' ? record.reason : '' });
    }
    default:
      return fail('invalid_body', `unknown SSE event ${message.event.slice(0, 32)}`);
  }
}
