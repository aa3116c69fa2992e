import { CloseCode, encodeSockjsClose, SOCKJS_OPEN, SockjsRequest, type SockjsRoute } from '@tether/protocol';
import type { HttpFallbackContext, ReceiveRequestInfo } from './http-fallback-context.js';
import { PollReceiver } from './http-poll-receiver.js';
import type { BodyRequest } from './http-request-body.js';
import { HttpStatus, respond, type ReceiveResponse } from './http-response.js';
import { handleSend, SESSION_NOT_FOUND_REASON } from './http-send.js';
import { StreamReceiver } from './http-stream-receiver.js';
import { sockjsPollFraming } from './sockjs-polling.js';
import { SOCKJS_RESPONSE_HEADERS } from './sockjs-streaming.js';

/**
 * The table key of a pusher-js session. The client picks `{server}/{session}`; the app key is part of
 * it so two apps never share a session. Tether's own ids never contain `:`, so the two kinds cannot meet.
 */
export const sockjsSessionId = (route: SockjsRoute): string =>
  `sockjs:${route.key}:${route.server}/${route.session}`;

/**
 * `POST {sockjsPath}/app/{key}/{server}/{session}/xhr_streaming|xhr` (spec §7.4). The first receive
 * request of a session creates it and is answered `o`: a stream then carries `connection_established`,
 * a poll ends there and the next poll carries it. A refused open is `o` then `c[code,"reason"]`, so
 * pusher-js applies the close action. Later receive requests never see `o` again. A request for a
 * collected session is answered `c[4210,…]`: the client reconnects at once with a new session.
 */
export function sockjsReceive(
  context: HttpFallbackContext,
  route: SockjsRoute,
  request: ReceiveRequestInfo,
  res: ReceiveResponse,
): void {
  const streaming = route.request === SockjsRequest.Streaming;
  const id = sockjsSessionId(route);
  const existing = context.sessions.get(id);
  if (existing === undefined) {
    const opened = context.sessions.open({
      ...request,
      id,
      name: streaming ? 'xhr_streaming' : 'xhr_polling',
      reattachable: true,
    });
    if (!opened.ok) {
      respond(
        res,
        HttpStatus.Ok,
        SOCKJS_RESPONSE_HEADERS,
        SOCKJS_OPEN + encodeSockjsClose(opened.closeCode, opened.reason),
      );
      return;
    }
    const session = opened.session;
    if (streaming)
      session.attach(
        new StreamReceiver(session, res, context.framings.sockjsStream, context.heartbeats, SOCKJS_OPEN),
      );
    else respond(res, HttpStatus.Ok, SOCKJS_RESPONSE_HEADERS, SOCKJS_OPEN);
    return;
  }
  if (existing.state === 'dead') {
    respond(
      res,
      HttpStatus.Ok,
      SOCKJS_RESPONSE_HEADERS,
      encodeSockjsClose(CloseCode.SessionNotFound, SESSION_NOT_FOUND_REASON),
    );
    return;
  }
  if (streaming)
    existing.attach(new StreamReceiver(existing, res, context.framings.sockjsStream, context.heartbeats, ''));
  else
    existing.attach(
      new PollReceiver(
        existing,
        res,
        sockjsPollFraming,
        context.expiries.for(context.limits.sockjsPollHoldMs),
      ),
    );
}

/** `POST {sockjsPath}/app/{key}/{server}/{session}/xhr_send`: 204, or 404 for an unknown session. `[]` is the client's ping. */
export function sockjsSend(
  context: HttpFallbackContext,
  route: SockjsRoute,
  req: BodyRequest,
  res: ReceiveResponse,
): Promise<void> {
  const id = sockjsSessionId(route);
  return handleSend(context, () => context.sessions.get(id), req, res);
}
