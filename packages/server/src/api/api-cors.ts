import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * CORS for the HTTP API: any origin may call it (requests are signed, not cookie-authenticated). Every
 * answer carries the origin header; the methods, headers and max-age only mean something on a preflight
 * answer (browsers read them nowhere else), so only preflights get them.
 */
export const apiCorsHeaders = {
  'Access-Control-Allow-Origin': '*',
} as const;

export const apiCorsPreflightHeaders = {
  ...apiCorsHeaders,
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, X-Pusher-Library, X-Socket-Id, X-Requested-With, Accept, Authorization',
  'Access-Control-Max-Age': '86400',
} as const;

const NO_CONTENT = 204;
const ALLOW_ORIGIN = 'Access-Control-Allow-Origin';
const preflightEntries = Object.entries(apiCorsPreflightHeaders);

/** Sets the CORS header of an answer (any Node response). */
export function setApiCorsHeaders(res: ServerResponse): void {
  res.setHeader(ALLOW_ORIGIN, apiCorsHeaders[ALLOW_ORIGIN]);
}

/** Sets the CORS header on every response and answers preflights with 204 and the preflight headers. */
export function apiCors(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'OPTIONS') {
    for (const [name, value] of preflightEntries) res.setHeader(name, value);
    res.status(NO_CONTENT).end();
    return;
  }
  setApiCorsHeaders(res);
  next();
}
