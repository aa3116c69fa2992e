import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CloseCode,
  CURSOR_PARAM,
  encodeSockjsClose,
  HttpRoute,
  parseHttpRoute,
  parseSockjsRoute,
  SOCKJS_DEFAULT_PATH,
  SockjsRequest,
  type ParsedHttpRoute,
  type SockjsRoute,
} from '@tether/protocol';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { systemClock, type Clock } from '../clock.js';
import type { ForwardableRequest, RemoteHttpSessions } from '../cluster/remote-http-sessions.js';
import type { HttpFallbackContext, ReceiveRequestInfo } from './http-fallback-context.js';
import { createHttpFallbackContext } from './http-fallback-context-factory.js';
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
  /** One middleware: mount with `app.use(fallbacks.router)`; requests for other paths fall through. */
  router: RequestHandler;
  /**
   * The same routes as a plain Node `request` handler, for a server that answers them before its
   * framework runs (every poll then skips the framework's per-request work): true when the request is
   * one of ours (answered, held or being read), false to hand it on. Paths are matched against the
   * whole URL, so `pathPrefix` and `sockjsPath` include any mount path.
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
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

const CURSOR_PREFIX = `${CURSOR_PARAM}=`;

/**
 * The `cursor` of a poll, read without building URLSearchParams for each of the many polls: the first
 * `cursor=` value, as URLSearchParams would give it (an encoded value is decoded by it).
 */
function cursorParam(url: string): string | null {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return null;
  let at = url.startsWith(CURSOR_PREFIX, queryStart + 1)
    ? queryStart + 1
    : url.indexOf(`&${CURSOR_PREFIX}`, queryStart) + 1;
  if (at === 0) return new URLSearchParams(url.slice(queryStart + 1)).get(CURSOR_PARAM);
  at += CURSOR_PREFIX.length;
  const end = url.indexOf('&', at);
  const value = end < 0 ? url.slice(at) : url.slice(at, end);
  return value.includes('%') || value.includes('+')
    ? new URLSearchParams(url.slice(queryStart + 1)).get(CURSOR_PARAM)
    : value;
}

/** A request `serve` took failed unexpectedly: a 500 if nothing was sent yet, else the connection is cut. */
function failServed(_error: unknown, res: ServerResponse): void {
  if (res.headersSent) res.destroy();
  else res.writeHead(HttpStatus.InternalServerError).end();
}

/** A forwarded request failed unexpectedly: the forwarding node sees its stream end. */
const destroyResponse = (_error: unknown, res: ReceiveResponse): void => {
  res.destroy();
};

const methodNotAllowed = (res: ReceiveResponse, allowed: string): void =>
  respondError(res, HttpStatus.MethodNotAllowed, { error: `Use ${allowed}`, code: null });

/**
 * Tether's SSE and long-poll endpoints and pusher-js's xhr_streaming / xhr_polling endpoints, as one
 * Express middleware over one table of HTTP sessions. Each session is one `ServerTransport` handed to
 * `host.openSession`, for the whole life of the session.
 */
export function createHttpFallbacks(options: HttpFallbacksOptions): HttpFallbacks {
  const limits: HttpFallbackLimits = { ...httpFallbackDefaults, ...options.limits };
  const clock = options.clock ?? systemClock;
  const remote = options.remote;
  const sessions = new HttpSessions(options.host, clock, limits, remote);
  const context: HttpFallbackContext = createHttpFallbackContext(sessions, clock, limits);
  const pathPrefix = options.pathPrefix ?? '';
  const sockjsPath = options.sockjsPath ?? SOCKJS_DEFAULT_PATH;
  let closing: { code: number; reason: string } | null = null;

  /**
   * In a cluster, for a session this node does not hold: forwards the request to the node that does and
   * resolves true when that node took (or answered) it. Undefined when there is nothing to forward
   * (no cluster, a forwarded request, or a session held here), so the usual path stays synchronous.
   */
  const forwardElsewhere = (
    sessionId: string | undefined,
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
    notFound: () => void,
  ): Promise<boolean> | undefined =>
    remote !== undefined && !forwarded && sessionId !== undefined && sessions.get(sessionId) === undefined
      ? remote.forward({ sessionId, req, res, maxBodyBytes: limits.maxBodyBytes, notFound })
      : undefined;

  /** Runs `local` unless the request went to another node. */
  const unlessForwarded = (
    forwarding: Promise<boolean> | undefined,
    local: () => void | Promise<void>,
  ): void | Promise<void> =>
    forwarding === undefined ? local() : forwarding.then((elsewhere) => (elsewhere ? undefined : local()));

  const handleSockjs = (
    route: SockjsRoute,
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
  ): void | Promise<void> => {
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
    return unlessForwarded(forwardElsewhere(sockjsSessionId(route), req, res, forwarded, gone), () => {
      switch (route.request) {
        case SockjsRequest.Streaming:
        case SockjsRequest.Polling:
          return sockjsReceive(context, route, requestInfo(req, route.key), res);
        case SockjsRequest.Send:
          return sockjsSend(context, route, req, res);
      }
    });
  };

  const handleTether = (
    route: ParsedHttpRoute,
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
  ): void | Promise<void> => {
    if (req.method === METHOD.Options) return respondPreflight(res);
    if (route.route === HttpRoute.Send || route.route === HttpRoute.Close) {
      if (req.method !== METHOD.Post) return methodNotAllowed(res, METHOD.Post);
      const id = route.session;
      const find = () => {
        const session = id === undefined ? undefined : sessions.get(id);
        return session &&
          session.key === route.key &&
          (session.name === 'sse' || session.name === 'long-poll')
          ? session
          : undefined;
      };
      return unlessForwarded(
        forwardElsewhere(id, req, res, forwarded, () => sessionNotFound(res)),
        () =>
          route.route === HttpRoute.Send
            ? handleSend(context, find, req, res)
            : handleClose(context, find, req, res),
      );
    }
    if (req.method !== METHOD.Get) return methodNotAllowed(res, METHOD.Get);
    switch (route.route) {
      case HttpRoute.SseOpen:
        return openSse(context, requestInfo(req, route.key), res);
      case HttpRoute.LongPollOpen:
        return openLongPoll(context, requestInfo(req, route.key), res);
      case HttpRoute.LongPoll: {
        const id = route.session;
        if (id === undefined) return sessionNotFound(res);
        // The hot path of every poll: no closures when there is no other node to ask.
        if (remote === undefined || forwarded)
          return pollLongPoll(context, { key: route.key, cursor: cursorParam(req.url ?? '') }, id, res);
        return unlessForwarded(
          forwardElsewhere(id, req, res, forwarded, () => sessionNotFound(res)),
          () => pollLongPoll(context, { key: route.key, cursor: cursorParam(req.url ?? '') }, id, res),
        );
      }
    }
  };

  /**
   * Serves a fallback request: false when the path is not one of ours; a promise when the answer
   * waits for something (a body, another node); true when it was handled synchronously (every poll).
   */
  const dispatch = (
    path: string,
    req: ForwardableRequest,
    res: ReceiveResponse,
    forwarded: boolean,
  ): boolean | Promise<void> => {
    const sockjs = parseSockjsRoute(path, sockjsPath);
    const tether = sockjs ? null : parseHttpRoute(path, pathPrefix);
    if (!sockjs && !tether) return false;
    if (closing && req.method !== METHOD.Options) {
      respondError(res, HttpStatus.ServiceUnavailable, { error: closing.reason, code: closing.code });
      return true;
    }
    const handled = sockjs
      ? handleSockjs(sockjs, req, res, forwarded)
      : tether
        ? handleTether(tether, req, res, forwarded)
        : undefined;
    return handled ?? true;
  };

  /**
   * `dispatch`, with a route that throws or rejects handed to `fail`: true when the route took the
   * request (whatever then became of it), false when no route matched.
   */
  const dispatchGuarded = <Res extends ReceiveResponse>(
    path: string,
    req: ForwardableRequest,
    res: Res,
    forwarded: boolean,
    fail: (error: unknown, res: Res) => void,
  ): boolean => {
    let handled: boolean | Promise<void>;
    try {
      handled = dispatch(path, req, res, forwarded);
    } catch (error) {
      fail(error, res);
      return true;
    }
    if (handled === true || handled === false) return handled;
    handled.catch((error: unknown) => fail(error, res));
    return true;
  };

  // A plain middleware rather than an express Router: the many polls of the HTTP transports pay for no
  // second routing pass.
  const router = (req: Request, res: Response, next: NextFunction): void => {
    if (!dispatchGuarded(req.path, req, res, false, (error) => next(error))) next();
  };
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    // `path` is the one property Node's request lacks (express adds it as a getter). Only forwarding to
    // another node reads it from the request; without a cluster the request is left as it is (adding a
    // property to every poll's request costs an allocation).
    const request =
      remote === undefined || 'path' in req ? (req as ForwardableRequest) : Object.assign(req, { path });
    return dispatchGuarded(path, request, res, false, failServed);
  };
  remote?.serve((req, res) => {
    if (!dispatchGuarded(req.path, req, res, true, destroyResponse)) sessionNotFound(res);
  });

  return {
    router,
    serve,
    close(code = CloseCode.ReconnectImmediately, reason = SERVER_CLOSING_REASON) {
      closing ??= { code, reason };
      sessions.closeAll(code, reason);
      remote?.close();
    },
    sessionCount: () => sessions.openCount(),
    closesDelivered: (ms) => sessions.closesDelivered(ms),
  };
}
