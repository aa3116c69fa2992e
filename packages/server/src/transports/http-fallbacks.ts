import type { IncomingMessage } from 'node:http';
import {
  CloseCode,
  encodeSockjsClose,
  HttpRoute,
  parseHttpRoute,
  parseSockjsRoute,
  SOCKJS_DEFAULT_PATH,
  SockjsRequest,
  type ParsedHttpRoute,
  type SockjsRoute,
} from '@tether/protocol';
import express, { type Router } from 'express';
import { systemClock, type Clock } from '../clock.js';
import type { ForwardableRequest, RemoteHttpSessions } from '../cluster/remote-http-sessions.js';
import type { HttpFallbackContext, ReceiveRequestInfo } from './http-fallback-context.js';
import { httpFallbackDefaults, type HttpFallbackLimits } from './http-fallback-options.js';
import {
  HttpStatus,
  respond,
  respondError,
  respondPreflight,
  type ReceiveResponse,
} from './http-response.js';
import { handleClose } from './http-close.js';
import { handleSend, SESSION_NOT_FOUND_REASON, sessionNotFound } from './http-send.js';
import { HttpSessions } from './http-sessions.js';
import { sockjsReceive, sockjsSend, sockjsSessionId } from './http-sockjs-endpoint.js';
import { SOCKJS_RESPONSE_HEADERS } from './sockjs-streaming.js';
import { openLongPoll, pollLongPoll } from './long-poll.js';
import { openSse } from './sse.js';
import type { SessionHost } from './transport.js';

export { httpFallbackDefaults, type HttpFallbackLimits } from './http-fallback-options.js';

export interface HttpFallbacksOptions {
  host: SessionHost;
  clock?: Clock;
  /** Where Tether's own routes (`/app/{key}/sse`, …) live, relative to where the router is mounted. Default ''. */
  pathPrefix?: string;
  /** pusher-js's `httpPath`. Default `/pusher`. */
  sockjsPath?: string;
  limits?: Partial<HttpFallbackLimits>;
  /** In a cluster: requests for sessions held by other nodes are forwarded there (no sticky load balancing needed). */
  remote?: RemoteHttpSessions;
}

export interface HttpFallbacks {
  /** Mount with `app.use(fallbacks.router)`; requests for other paths fall through. */
  router: Router;
  /** Closes every session (default 4200: reconnect at once, to another node) and refuses new requests with 503. */
  close(code?: number, reason?: string): void;
  /** Open HTTP sessions (tombstones of closed ones excluded). */
  sessionCount(): number;
  /** Resolves when every closed session's close code has reached its client, or after `ms`. */
  closesDelivered(ms: number): Promise<void>;
}

export const SERVER_CLOSING_REASON = 'Server is shutting down' as const;

const METHOD = { Get: 'GET', Post: 'POST', Options: 'OPTIONS' } as const;

function requestInfo(req: IncomingMessage, key: string): ReceiveRequestInfo {
  const url = req.url ?? '';
  const queryStart = url.indexOf('?');
  return {
    key,
    query: new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1)),
    remoteAddress: req.socket.remoteAddress,
  };
}

const methodNotAllowed = (res: ReceiveResponse, allowed: string): void =>
  respondError(res, HttpStatus.MethodNotAllowed, { error: `Use ${allowed}`, code: null });

/**
 * Tether's SSE and long-poll endpoints and pusher-js's xhr_streaming / xhr_polling endpoints, as one
 * Express router over one table of HTTP sessions. Each session is one `ServerTransport` handed to
 * `host.openSession`, for the whole life of the session.
 */
export function createHttpFallbacks(options: HttpFallbacksOptions): HttpFallbacks {
  const limits: HttpFallbackLimits = { ...httpFallbackDefaults, ...options.limits };
  const clock = options.clock ?? systemClock;
  const remote = options.remote;
  const sessions = new HttpSessions(options.host, clock, limits, remote);
  const context: HttpFallbackContext = { sessions, clock, limits };
  const pathPrefix = options.pathPrefix ?? '';
  const sockjsPath = options.sockjsPath ?? SOCKJS_DEFAULT_PATH;
  let closing: { code: number; reason: string } | null = null;

  /** True when the request went to (or was answered for) the node holding its session. Never for a forwarded request. */
  const heldElsewhere = async (
    sessionId: string | undefined,
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
    notFound: () => void,
  ): Promise<boolean> =>
    remote !== undefined &&
    !forwarded &&
    sessionId !== undefined &&
    sessions.get(sessionId) === undefined &&
    remote.forward({ sessionId, req, res, maxBodyBytes: limits.maxBodyBytes, notFound });

  const handleSockjs = async (
    route: SockjsRoute,
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
  ): Promise<void> => {
    if (req.method === METHOD.Options) return respondPreflight(res);
    if (req.method !== METHOD.Post) return methodNotAllowed(res, METHOD.Post);
    const gone = (): void =>
      route.request === SockjsRequest.Send
        ? sessionNotFound(res)
        : respond(
            res,
            HttpStatus.Ok,
            SOCKJS_RESPONSE_HEADERS,
            encodeSockjsClose(CloseCode.SessionNotFound, SESSION_NOT_FOUND_REASON),
          );
    if (await heldElsewhere(sockjsSessionId(route), req, res, forwarded, gone)) return;
    switch (route.request) {
      case SockjsRequest.Streaming:
      case SockjsRequest.Polling:
        return sockjsReceive(context, route, requestInfo(req, route.key), res);
      case SockjsRequest.Send:
        return sockjsSend(context, route, req, res);
    }
  };

  const handleTether = async (
    route: ParsedHttpRoute,
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
  ): Promise<void> => {
    if (req.method === METHOD.Options) return respondPreflight(res);
    const info = requestInfo(req, route.key);
    if (route.route === HttpRoute.Send || route.route === HttpRoute.Close) {
      if (req.method !== METHOD.Post) return methodNotAllowed(res, METHOD.Post);
      const id = route.session;
      if (await heldElsewhere(id, req, res, forwarded, () => sessionNotFound(res))) return;
      const find = () => {
        const session = id === undefined ? undefined : sessions.get(id);
        return session &&
          session.key === route.key &&
          (session.name === 'sse' || session.name === 'long-poll')
          ? session
          : undefined;
      };
      return route.route === HttpRoute.Send
        ? handleSend(context, find, req, res)
        : handleClose(context, find, req, res);
    }
    if (req.method !== METHOD.Get) return methodNotAllowed(res, METHOD.Get);
    switch (route.route) {
      case HttpRoute.SseOpen:
        return openSse(context, info, res);
      case HttpRoute.LongPollOpen:
        return openLongPoll(context, info, res);
      case HttpRoute.LongPoll:
        if (route.session === undefined) return sessionNotFound(res);
        if (await heldElsewhere(route.session, req, res, forwarded, () => sessionNotFound(res))) return;
        return pollLongPoll(context, info, route.session, res);
    }
  };

  /** Serves a fallback request; undefined when the path is not one of ours. */
  const dispatch = (
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
  ): Promise<void> | undefined => {
    const sockjs = parseSockjsRoute(req.path, sockjsPath);
    const tether = sockjs ? null : parseHttpRoute(req.path, pathPrefix);
    if (!sockjs && !tether) return undefined;
    if (closing && req.method !== METHOD.Options) {
      respondError(res, HttpStatus.ServiceUnavailable, { error: closing.reason, code: closing.code });
      return Promise.resolve();
    }
    return sockjs
      ? handleSockjs(sockjs, req, res, forwarded)
      : tether
        ? handleTether(tether, req, res, forwarded)
        : Promise.resolve();
  };

  const router = express.Router();
  router.use((req, res, next) => {
    const handled = dispatch(req, res, false);
    if (handled === undefined) next();
    else handled.catch((error: unknown) => next(error));
  });
  remote?.serve((req, res) => {
    const handled = dispatch(req, res, true) ?? Promise.resolve(sessionNotFound(res));
    handled.catch(() => res.destroy());
  });

  return {
    router,
    close(code = CloseCode.ReconnectImmediately, reason = SERVER_CLOSING_REASON) {
      closing ??= { code, reason };
      sessions.closeAll(code, reason);
      remote?.close();
    },
    sessionCount: () => sessions.openCount(),
    closesDelivered: (ms) => sessions.closesDelivered(ms),
  };
}
