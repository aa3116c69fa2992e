import type { IncomingMessage } from 'node:http';
import type { ReceiveResponse } from '../transports/http-response.js';

/** The parts of a request the HTTP fallback endpoints read; an Express request is one, and so is a forwarded one. */
export type ForwardableRequest = IncomingMessage & { path: string; body?: unknown };

/** Serves one request (a forwarded one) the way the fallbacks router would, for sessions this node holds. */
export type LocalHttpHandler = (req: ForwardableRequest, res: ReceiveResponse) => void;

export interface ForwardRequest {
  /** The HTTP session table id the request is for. */
  sessionId: string;
  req: ForwardableRequest;
  res: ReceiveResponse;
  /** The request body limit (413 above it), read here before forwarding. */
  maxBodyBytes: number;
  /** Answers the request as one for an unknown session, the way its transport does. */
  notFound: () => void;
}

/**
 * How HTTP fallback sessions work without sticky load balancing: the node that opens a session records
 * itself as its holder, and a node that gets a request for a session it does not hold hands the request
 * to the holder and relays the answer (a whole body, or a stream).
 */
export interface RemoteHttpSessions {
  /** A session was opened on this node. */
  opened(sessionId: string): void;
  /** A session left this node's table. */
  forgotten(sessionId: string): void;
  /**
   * For a session this node does not hold: true when the request was handed to the node that holds it
   * (or answered `notFound` because that node is unreachable); false when no other node holds it, and
   * the caller serves it locally (opening a session, or answering "not found" itself).
   */
  forward(request: ForwardRequest): Promise<boolean>;
  /** Requests forwarded to this node are served by `handler`. */
  serve(handler: LocalHttpHandler): void;
  close(): void;
}
