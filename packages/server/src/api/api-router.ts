import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { systemClock, type Clock } from '../clock.js';
import type { TetherServerEvents } from '../server-events.js';
import type { ApiBackend } from './api-backend.js';
import { apiCors } from './api-cors.js';
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
import { guardApiRoute } from './api-request-guard.js';

export interface ApiRouterOptions {
  backend: ApiBackend;
  clock?: Clock;
  /** Router-wide limits; see `apiLimitsDefaults`. */
  limits?: Partial<ApiLimits>;
  /** Told about failures the caller only sees as a 500 (for example a throwing backend). */
  error?: (context: TetherServerEvents['error']) => void;
}

/**
 * The Pusher HTTP API (spec §6.3, §6.4) at the router root: mount it with `app.use(createApiRouter(…))`
 * **before any body parser**, since it verifies `body_md5` against the raw bytes. It answers only
 * `/apps/...` paths; everything else passes through.
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const guardOptions = {
    backend: options.backend,
    clock: options.clock ?? systemClock,
    limits: { ...apiLimitsDefaults, ...options.limits },
    error: options.error,
  };
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
  router.use('/apps', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    options.error?.({ error, context: `HTTP API ${req.method} ${req.path}` });
    if (res.headersSent) return next(error);
    sendApiError(res, { status: ApiStatus.Internal, error: 'internal server error' });
  });
  return router;
}
