import { encodeHttpError, HTTP_ERROR_CONTENT_TYPE, type HttpErrorBody } from '@tether/protocol';

/**
 * The part of Node's `ServerResponse` the HTTP transports use; unit tests pass a fake.
 * `flush` exists when a compression middleware wrapped the response: every write is flushed through it.
 */
export interface ReceiveResponse {
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown;
  write(chunk: string): boolean;
  end(chunk?: string): unknown;
  destroy(): unknown;
  on(event: 'close' | 'drain', listener: () => void): unknown;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  flush?: () => void;
}

/**
 * CORS for every response of the HTTP transports. No credentials are ever sent (pusher-js leaves
 * `withCredentials` false), so the wildcard is allowed (spec §7.4.7).
 */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
} as const;

export const CORS_PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
} as const;

export const HttpStatus = {
  Ok: 200,
  NoContent: 204,
  BadRequest: 400,
  NotFound: 404,
  MethodNotAllowed: 405,
  PayloadTooLarge: 413,
  InternalServerError: 500,
  ServiceUnavailable: 503,
} as const;
export type HttpStatus = (typeof HttpStatus)[keyof typeof HttpStatus];

/** Responses are never cached: every body is one moment of one session. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** Writes a complete response in one go, with CORS. */
export function respond(
  res: ReceiveResponse,
  status: HttpStatus,
  headers: Record<string, string>,
  body?: string,
): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { ...CORS_HEADERS, ...NO_STORE, ...headers });
  res.end(body);
}

/**
 * `respond` for a hot path: `headers` is the complete, constant header set (CORS and caching included),
 * passed as is instead of merged into a new object per response.
 */
export function respondPrepared(
  res: ReceiveResponse,
  status: HttpStatus,
  headers: Readonly<Record<string, string>>,
  body: string,
): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, headers);
  res.end(body);
}

/** A failed request: status plus the protocol's `{ error, code }` body. */
export function respondError(res: ReceiveResponse, status: HttpStatus, body: HttpErrorBody): void {
  respond(res, status, { 'Content-Type': HTTP_ERROR_CONTENT_TYPE }, encodeHttpError(body));
}

/** Answers a CORS preflight (spec §7.4.7). */
export function respondPreflight(res: ReceiveResponse): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(HttpStatus.NoContent, { ...CORS_PREFLIGHT_HEADERS });
  res.end();
}
