import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { verifyApiSignature } from '../auth/api-signature.js';
import type { Clock } from '../clock.js';
import type { TetherServerEvents } from '../server-events.js';
import type { ApiBackend } from './api-backend.js';
import { ApiStatus, sendApiError, type ApiFailure } from './api-errors.js';
import type { ApiHandler } from './api-handlers.js';
import type { ApiLimits } from './api-limits.js';
import { sendApiOk } from './api-response.js';
import { readRawBody } from './raw-body.js';

export interface ApiRequestGuardOptions {
  backend: ApiBackend;
  clock: Clock;
  limits: ApiLimits;
  /** Told about failures the caller only sees as a 500 (a throwing backend). */
  error: ((context: TetherServerEvents['error']) => void) | undefined;
}

/**
 * A request the API serves: Node's own when the server answers it before the app, or express's, whose
 * `originalUrl` is the URL as received (its `url` is relative to where the router is mounted).
 */
export type ApiRequest = IncomingMessage & { readonly originalUrl?: string };

/** The URL as the client sent it. */
const receivedUrl = (req: ApiRequest): string => req.originalUrl ?? req.url ?? '/';

/** Splits the received URL: the path as sent (the SDK signs `/apps/…`) and the raw query. */
function splitUrl(url: string): { path: string; rawQuery: string } {
  const mark = url.indexOf('?');
  return mark === -1
    ? { path: url, rawQuery: '' }
    : { path: url.slice(0, mark), rawQuery: url.slice(mark + 1) };
}

/** Route parameters as plain strings (express types allow arrays for wildcards, which no API route has). */
function stringParams(params: Request['params']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string') result[key] = value;
  return result;
}

function refuse(res: ServerResponse, failure: ApiFailure): void {
  // An unread remainder of an oversized body would otherwise be parsed as the next request.
  if (failure.status === ApiStatus.PayloadTooLarge) res.setHeader('Connection', 'close');
  sendApiError(res, failure);
}

/**
 * Serves one API request with its route parameters already decoded: finds the app (404), reads the raw
 * body (413), verifies the signature (401), refuses a disabled app (403), runs the handler and answers
 * JSON. Never rejects. Takes express's request and response or Node's own (see `sendApiJson` for how the
 * answers differ).
 */
export async function serveApiRequest(
  options: ApiRequestGuardOptions,
  handler: ApiHandler,
  params: Readonly<Record<string, string>>,
  req: ApiRequest,
  res: ServerResponse,
): Promise<void> {
  const { backend, clock, limits } = options;
  try {
    const appId = params.appId;
    const app = appId === undefined ? undefined : backend.findAppById(appId);
    if (app === undefined) return refuse(res, { status: ApiStatus.NotFound, error: 'unknown app id' });

    const body = await readRawBody(req, limits.maxBodyBytes);
    if (!body.ok) return refuse(res, body.failure);

    const { path, rawQuery } = splitUrl(receivedUrl(req));
    const verified = verifyApiSignature(
      // Node leaves `method` unset only on a client's response, never on a server's request.
      { method: req.method ?? '', path, rawQuery, body: body.value },
      app,
      clock.now(),
      {
        timestampWindowSeconds: limits.timestampWindowSeconds,
      },
    );
    if (!verified.ok) {
      return refuse(res, {
        status: ApiStatus.Unauthorized,
        error: `${verified.check}: ${verified.message}`,
      });
    }
    if (!app.enabled) return refuse(res, { status: ApiStatus.Forbidden, error: 'app is disabled' });

    const result = await handler({ backend, app, query: verified.query, params, body: body.value });
    if (!result.ok) return refuse(res, result.failure);
    sendApiOk(res, result.value);
  } catch (error) {
    options.error?.({ error, context: `HTTP API ${req.method} ${splitUrl(receivedUrl(req)).path}` });
    if (!res.headersSent) refuse(res, { status: ApiStatus.Internal, error: 'internal server error' });
  }
}

/** Wraps an endpoint as an express route handler (see `serveApiRequest`). Never rejects. */
export function guardApiRoute(options: ApiRequestGuardOptions, handler: ApiHandler): RequestHandler {
  return (req: Request, res: Response): Promise<void> =>
    serveApiRequest(options, handler, stringParams(req.params), req, res);
}
