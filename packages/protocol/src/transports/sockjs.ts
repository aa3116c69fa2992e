import { fail, ok, type Result } from '../errors.js';

/**
 * The SockJS-style framing that pusher-js's `xhr_streaming` and `xhr_polling` speak (spec §7.3).
 * One frame per line:
 *
 *   o                 open (once per session; never again on a re-attached stream)
 *   a["…","…"]        messages: each element a string holding one encoded Pusher frame
 *   m"…"              a single message
 *   h                 heartbeat
 *   c[4001,"…"]       close with a code and a reason
 *
 * Non-ASCII is escaped as \uXXXX so that the client's UTF-16 count equals the bytes we wrote.
 */

export const SockjsRequest = {
  Streaming: 'xhr_streaming',
  Polling: 'xhr',
  Send: 'xhr_send',
} as const;
export type SockjsRequest = (typeof SockjsRequest)[keyof typeof SockjsRequest];

/** pusher-js aborts and re-opens a stream once its responseText exceeds this (MAX_BUFFER_LENGTH). */
export const SOCKJS_STREAM_ROTATION_CHARS = 256 * 1024;
/** Default path prefix of pusher-js's HTTP transports (`httpPath`). */
export const SOCKJS_DEFAULT_PATH = '/pusher' as const;
export const SOCKJS_STREAM_CONTENT_TYPE = 'application/javascript; charset=UTF-8' as const;

const NON_ASCII = /[\u007f-\uffff]/g;

/** Replaces every non-ASCII UTF-16 unit with its \uXXXX escape (valid inside JSON strings). */
export const escapeNonAscii = (text: string): string =>
  text.replace(NON_ASCII, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const SOCKJS_OPEN = 'o\n' as const;
export const SOCKJS_HEARTBEAT = 'h\n' as const;

export const encodeSockjsOpen = (info?: { hostname?: string }): string =>
  info?.hostname ? `o${JSON.stringify({ hostname: info.hostname })}\n` : SOCKJS_OPEN;

/** `a[...]` holding each encoded frame as a JSON string. */
export const encodeSockjsArray = (frames: readonly string[]): string =>
  `a${escapeNonAscii(JSON.stringify(frames))}\n`;

export const encodeSockjsMessage = (frame: string): string => `m${escapeNonAscii(JSON.stringify(frame))}\n`;

export const encodeSockjsClose = (code: number, reason: string): string =>
  `c${escapeNonAscii(JSON.stringify([code, reason]))}\n`;

// ---------------------------------------------------------------------------------------------
// Reading (what pusher-js does with a response; used by tests and by tools)

export type SockjsFrame =
  | { type: 'open'; hostname?: string }
  | { type: 'messages'; messages: string[] }
  | { type: 'heartbeat' }
  | { type: 'close'; code: number; reason: string };

/** Parses one line (without its newline). Never throws. */
export function parseSockjsLine(line: string): Result<SockjsFrame> {
  const kind = line.charAt(0);
  const rest = line.slice(1);
  const json = (): Result<unknown> => {
    try {
      return ok(JSON.parse(rest) as unknown);
    } catch {
      return fail('invalid_body', `bad ${kind} frame`);
    }
  };
  switch (kind) {
    case 'o': {
      if (rest === '') return ok({ type: 'open' });
      const parsed = json();
      if (!parsed.ok) return parsed;
      const host = (parsed.value as { hostname?: unknown } | null)?.hostname;
      return ok(typeof host === 'string' ? { type: 'open', hostname: host } : { type: 'open' });
    }
    case 'h':
      return ok({ type: 'heartbeat' });
    case 'a':
    case 'm': {
      const parsed = json();
      if (!parsed.ok) return parsed;
      const list = kind === 'm' ? [parsed.value] : parsed.value;
      if (!Array.isArray(list) || !list.every((m): m is string => typeof m === 'string')) {
        return fail('invalid_body', 'messages must be strings');
      }
      return ok({ type: 'messages', messages: list });
    }
    case 'c': {
      const parsed = json();
      if (!parsed.ok) return parsed;
      const value = parsed.value;
      if (!Array.isArray(value) || typeof value[0] !== 'number')
        return fail('invalid_body', 'close must be [code, reason]');
      return ok({ type: 'close', code: value[0], reason: typeof value[1] === 'string' ? value[1] : '' });
    }
    default:
      return fail('invalid_body', `unknown frame type ${JSON.stringify(kind)}`);
  }
}

/** Splits a response body into complete lines and parses each; the unfinished tail is returned. */
export function parseSockjsBody(text: string): { frames: Result<SockjsFrame>[]; rest: string } {
  const parts = text.split('\n');
  const rest = parts.pop() ?? '';
  return { frames: parts.filter((line) => line !== '').map(parseSockjsLine), rest };
}

export interface SockjsRoute {
  key: string;
  server: string;
  session: string;
  request: SockjsRequest;
}

const SOCKJS_ROUTE = /^\/app\/([^/]+)\/([^/.]+)\/([^/.]+)\/(xhr_streaming|xhr_send|xhr)\/?$/;

/** Matches `{httpPath}/app/{key}/{server}/{session}/{xhr_streaming|xhr|xhr_send}`; null otherwise. */
export function parseSockjsRoute(pathname: string, prefix: string = SOCKJS_DEFAULT_PATH): SockjsRoute | null {
  if (!pathname.startsWith(prefix)) return null;
  const match = SOCKJS_ROUTE.exec(pathname.slice(prefix.length));
  if (!match) return null;
  const [, key, server, session, request] = match;
  if (!key || !server || !session || !request) return null;
  if (server.length > 16 || session.length > 64) return null;
  let decodedKey: string;
  try {
    decodedKey = decodeURIComponent(key);
  } catch {
    return null;
  }
  return { key: decodedKey, server, session, request: request as SockjsRequest };
}
