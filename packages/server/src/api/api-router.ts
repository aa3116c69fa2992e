import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { systemClock, type Clock } from '../clock.js';
import type { TetherServerEvents } from '../server-events.js';
import type { ApiBackend } from './api-backend.js';
import { apiCors, setApiCorsHeaders } from './api-cors.js';
import { ApiStatus, sendApiError } from './api-errors.js';
import {
  getChannel,
  getChannelUsers,
  listChannels,
  terminateUserConnections,
  triggerBatch,
  triggerEvents,
} from './api-handlers.js';
import { apiLimitsDefaults, type ApiLimits } from './api-limits.js';
import { guardApiRoute, serveApiRequest, type ApiRequestGuardOptions } from './api-request-guard.js';
import { matchTriggerRoute, TriggerRoute } from './trigger-route.js';

export interface ApiRouterOptions {
  backend: ApiBackend;
  clock?: Clock;
  /** Router-wide limits; see `apiLimitsDefaults`. */
  limits?: Partial<ApiLimits>;
  /** Told about failures the caller only sees as a 500 (for example a throwing backend). */
  error?: (context: TetherServerEvents['error']) => void;
}

export interface HttpApi {
  /**
   * The whole API at the router root: mount it with `app.use(api.router)` **before any body parser**,
   * since it verifies `body_md5` against the raw bytes. It answers only `/apps/...` paths; everything
   * else passes through.
   */
  router: RequestHandler;
  /**
   * The publish endpoints alone as a plain Node `request` handler, for a server that answers them before
   * its framework runs: true when the request is a publish in the plain form (answered), false to hand it
   * on. The URL is matched whole, so this serves `/apps/...` at the server root, where the SDKs send it.
   * Answers carry no express-only headers (X-Powered-By, ETag).
   */
  serve: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * The Pusher HTTP API (spec §6.3, §6.4). The publish endpoints (`POST /apps/:id/events` and
 * `/batch_events`, one request per publish) skip express routing when their path is in the plain form the
 * SDKs send (see `matchTriggerRoute`): `router` tries `serve` first. Every other request, including any
 * unusual spelling of those paths, goes through the express router below. Both answer the same way.
 */
export function createHttpApi(options: ApiRouterOptions): HttpApi {
  const guardOptions: ApiRequestGuardOptions = {
    backend: options.backend,
    clock: options.clock ?? systemClock,
    limits: { ...apiLimitsDefaults, ...options.limits },
    error: options.error,
  };
  const routed = expressApiRouter(guardOptions);
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const trigger = req.method === 'POST' ? matchTriggerRoute(req.url ?? '') : undefined;
    if (trigger === undefined) return false;
    setApiCorsHeaders(res);
    void serveApiRequest(
      guardOptions,
      trigger.route === TriggerRoute.Events ? triggerEvents : triggerBatch,
      { appId: trigger.appId },
      req,
      res,
    );
    return true;
  };
  const router = (req: Request, res: Response, next: NextFunction): void => {
    if (!serve(req, res)) routed(req, res, next);
  };
  return { router, serve };
}

/** The API as one express middleware (see `createHttpApi`). */
export function createApiRouter(options: ApiRouterOptions): RequestHandler {
  return createHttpApi(options).router;
}

/** Every endpoint, routed by express: the 404 for other `/apps` paths and the 500 for a thrown error. */
function expressApiRouter(guardOptions: ApiRequestGuardOptions): express.Router {
  const route = guardApiRoute.bind(undefined, guardOptions);
  const router = express.Router();

  router.use('/apps', apiCors);
  router.post('/apps/:appId/events', route(triggerEvents));
  router.post('/apps/:appId/batch_events', route(triggerBatch));
  router.get('/apps/:appId/channels', route(listChannels));
  router.get('/apps/:appId/channels/:name', route(getChannel));
  router.get('/apps/:appId/channels/:name/users', route(getChannelUsers));
  router.post('/apps/:appId/users/:userId/terminate_connections', route(terminateUserConnections));

  router.use('/apps', (_req: Request, res: Response) => {
    sendApiError(res, { status: ApiStatus.NotFound, error: 'no such HTTP API endpoint' });
  });
  router.use('/apps', (failure: unknown, req: Request, res: Response, next: NextFunction) => {
    guardOptions.error?.({ error: failure, context: `HTTP API ${req.method} ${req.path}` });
    if (res.headersSent) return next(failure);
    sendApiError(res, { status: ApiStatus.Internal, error: 'internal server error' });
  });
  return router;
}
