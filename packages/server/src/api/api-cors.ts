import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** CORS for the HTTP API: any origin may call it (requests are signed, not cookie-authenticated). */
export const apiCorsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, X-Pusher-Library, X-Socket-Id, X-Requested-With, Accept, Authorization',
  'Access-Control-Max-Age': '86400',
} as const;

const NO_CONTENT = 204;
const corsEntries = Object.entries(apiCorsHeaders);

/** Sets the CORS headers on a response: what `res.set(apiCorsHeaders)` does, without its per-header checks (any Node response). */
export function setApiCorsHeaders(res: ServerResponse): void {
  for (const [name, value] of corsEntries) res.setHeader(name, value);
}

/** Sets the CORS headers on every response and answers preflights with 204. */
export function apiCors(req: Request, res: Response, next: NextFunction): void {
  setApiCorsHeaders(res);
  if (req.method === 'OPTIONS') {
    res.status(NO_CONTENT).end();
    return;
  }
  next();
}
