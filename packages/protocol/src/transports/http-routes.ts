/**
 * URL layout of Tether's own HTTP transports, relative to the server's path prefix:
 *
 *   GET  /app/{key}/sse?protocol=7&…                  open an SSE session (text/event-stream)
 *   GET  /app/{key}/long-poll?protocol=7&…            open a long-poll session (first batch at once)
 *   GET  /app/{key}/long-poll/{session}?cursor=N      held poll
 *   POST /app/{key}/session/{session}/send            client frames (see send-body.ts)
 *   POST /app/{key}/session/{session}/close           the client leaves: the session ends at once (see close-body.ts)
 */

export const HttpRoute = {
  SseOpen: 'sse-open',
  LongPollOpen: 'long-poll-open',
  LongPoll: 'long-poll',
  Send: 'send',
  Close: 'close',
} as const;
export type HttpRoute = (typeof HttpRoute)[keyof typeof HttpRoute];

/** Server-issued session ids: URL-safe, long enough to be unguessable, may name the node that holds them. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_.-]{16,128}$/;
export const isValidSessionId = (value: unknown): value is string =>
  typeof value === 'string' && SESSION_ID_PATTERN.test(value);

/** Query parameter of a poll: the index of the first frame the client has not yet received. */
export const CURSOR_PARAM = 'cursor' as const;

export interface ParsedHttpRoute {
  key: string;
  route: HttpRoute;
  session?: string;
}

const ROUTE = /^\/app\/([^/]+)\/(sse|long-poll|session)(?:\/([^/]+))?(?:\/(send|close))?\/?$/;

function decode(part: string): string | null {
  if (!part.includes('%')) return part; // what decodeURIComponent would return, without its cost per poll
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

const APP_SEGMENT = '/app/';
const POLL_SEGMENT = '/long-poll/';

/**
 * `/app/{key}/long-poll/{session}` (after the prefix), the path of every poll, read without the
 * regular expression: undefined when the path has another shape (the expression then decides), else
 * what the expression's branch would return.
 */
function parsePollRoute(pathname: string, start: number): ParsedHttpRoute | null | undefined {
  if (!pathname.startsWith(APP_SEGMENT, start)) return undefined;
  const keyStart = start + APP_SEGMENT.length;
  const keyEnd = pathname.indexOf('/', keyStart);
  if (keyEnd <= keyStart || !pathname.startsWith(POLL_SEGMENT, keyEnd)) return undefined;
  const sessionStart = keyEnd + POLL_SEGMENT.length;
  if (sessionStart === pathname.length || pathname.includes('/', sessionStart)) return undefined;
  const key = decode(pathname.slice(keyStart, keyEnd));
  if (!key) return null;
  const session = decode(pathname.slice(sessionStart));
  if (session === null || !isValidSessionId(session)) return null;
  return { key, route: HttpRoute.LongPoll, session };
}

/** Matches a request path against the layout above; null for anything else. */
export function parseHttpRoute(pathname: string, prefix = ''): ParsedHttpRoute | null {
  if (prefix && !pathname.startsWith(prefix)) return null;
  const poll = parsePollRoute(pathname, prefix.length);
  if (poll !== undefined) return poll;
  const match = ROUTE.exec(pathname.slice(prefix.length));
  if (!match) return null;
  const [, rawKey, kind, rawSession, action] = match;
  const key = rawKey === undefined ? null : decode(rawKey);
  if (!key) return null;
  const session = rawSession === undefined ? undefined : decode(rawSession);
  if (session === null || (session !== undefined && !isValidSessionId(session))) return null;
  if (kind === 'sse' && session === undefined && !action) return { key, route: HttpRoute.SseOpen };
  if (kind === 'long-poll' && !action) {
    return session === undefined
      ? { key, route: HttpRoute.LongPollOpen }
      : { key, route: HttpRoute.LongPoll, session };
  }
  if (kind !== 'session' || session === undefined) return null;
  if (action === 'send') return { key, route: HttpRoute.Send, session };
  if (action === 'close') return { key, route: HttpRoute.Close, session };
  return null;
}

export const httpRoutePath = {
  sseOpen: (key: string, prefix = ''): string => `${prefix}/app/${encodeURIComponent(key)}/sse`,
  longPollOpen: (key: string, prefix = ''): string => `${prefix}/app/${encodeURIComponent(key)}/long-poll`,
  longPoll: (key: string, session: string, prefix = ''): string =>
    `${prefix}/app/${encodeURIComponent(key)}/long-poll/${encodeURIComponent(session)}`,
  send: (key: string, session: string, prefix = ''): string =>
    `${prefix}/app/${encodeURIComponent(key)}/session/${encodeURIComponent(session)}/send`,
  close: (key: string, session: string, prefix = ''): string =>
    `${prefix}/app/${encodeURIComponent(key)}/session/${encodeURIComponent(session)}/close`,
} as const;
