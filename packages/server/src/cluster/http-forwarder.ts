import { randomBytes } from 'node:crypto';
import type { RedisAdapter } from '../adapters/redis-adapter.js';
import { systemClock, type Clock, type Timer } from '../clock.js';
import { readRequestBody } from '../transports/http-request-body.js';
import { HttpStatus, respondError, type ReceiveResponse } from '../transports/http-response.js';
import { decodeForwardMessage, encodeForwardMessage, type ForwardMessage } from './forward-messages.js';
import type {
  ForwardableRequest,
  ForwardRequest,
  LocalHttpHandler,
  RemoteHttpSessions,
} from './remote-http-sessions.js';
import { RemoteResponse } from './remote-response.js';

/** Every number of HTTP session forwarding. Milliseconds. */
export const httpForwardDefaults = {
  /** The holder confirms it got a forwarded request within this, or the session counts as gone. */
  ackTimeoutMs: 2_000,
  /** A forwarded response that carries nothing for this long is cut (its holder died); above every hold and heartbeat. */
  idleTimeoutMs: 40_000,
  /** A send for an unknown session looks the holder up once more after this (its open may still be on its way to Redis). */
  lookupRetryMs: 50,
} as const;

export type HttpForwardLimits = { [K in keyof typeof httpForwardDefaults]: number };

const REQUEST_ID_BYTES = 12;
const METHOD_POST = 'POST';

interface Outgoing {
  res: ReceiveResponse;
  owner: string;
  acked: () => void;
  idle: Timer | undefined;
  done: boolean;
}

/**
 * HTTP fallback sessions across nodes, over the Redis adapter: `{prefix}:http-session:{id}` names the
 * node holding a session, and a request for it that lands elsewhere travels to that node's inbox and
 * its answer (head, body chunks, end) comes back to the requesting node's inbox, in order.
 */
export class HttpForwarder implements RemoteHttpSessions {
  private readonly limits: HttpForwardLimits;
  private readonly clock: Clock;
  private readonly held = new Set<string>();
  private readonly outgoing = new Map<string, Outgoing>();
  /** `${from}\n${id}` → the response of a request served here for another node. */
  private readonly incoming = new Map<string, RemoteResponse>();
  private handler: LocalHttpHandler | undefined;

  constructor(
    private readonly adapter: RedisAdapter,
    options: { clock?: Clock; limits?: Partial<HttpForwardLimits> } = {},
  ) {
    this.limits = { ...httpForwardDefaults, ...options.limits };
    this.clock = options.clock ?? systemClock;
    adapter.onInbox((raw) => this.receive(raw));
    // After an outage or a reap, the holder keys are gone or stale: record every session held here again.
    adapter.onResync(() => {
      for (const id of this.held) this.register(id);
    });
  }

  opened(sessionId: string): void {
    this.held.add(sessionId);
    this.register(sessionId);
  }

  forgotten(sessionId: string): void {
    if (!this.held.delete(sessionId) || !this.adapter.online) return;
    const { connection, keys, nodeId } = this.adapter;
    connection
      .multi()
      .del(keys.httpSession(sessionId))
      .srem(keys.nodeHttpSessions(nodeId), keys.httpSession(sessionId))
      .exec()
      .catch(() => undefined);
  }

  serve(handler: LocalHttpHandler): void {
    this.handler = handler;
  }

  async forward({ sessionId, req, res, maxBodyBytes, notFound }: ForwardRequest): Promise<boolean> {
    let owner = await this.holderOf(sessionId);
    if (owner === undefined && req.method === METHOD_POST && !isReceive(req.path)) {
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, this.limits.lookupRetryMs));
      owner = await this.holderOf(sessionId);
    }
    if (owner === undefined) return false;
    let body: string | undefined;
    if (req.method === METHOD_POST) {
      const read = await readRequestBody(req, maxBodyBytes);
      if (!read.ok) {
        if (read.reason === 'too_large')
          respondError(res, HttpStatus.PayloadTooLarge, {
            error: `Body larger than ${maxBodyBytes} bytes`,
            code: null,
          });
        return true;
      }
      body = read.text;
    }
    const id = randomBytes(REQUEST_ID_BYTES).toString('base64url');
    const acked = new Promise<boolean>((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), this.limits.ackTimeoutMs);
      this.outgoing.set(id, {
        res,
        owner,
        idle: undefined,
        done: false,
        acked: () => {
          this.clock.clearTimeout(timer);
          resolve(true);
        },
      });
    });
    res.on('close', () => this.clientGone(id));
    const request: ForwardMessage = {
      t: 'req',
      id,
      from: this.adapter.nodeId,
      method: req.method ?? 'GET',
      url: req.url ?? req.path,
      path: req.path,
      ...(body !== undefined ? { body } : {}),
      ...(req.socket.remoteAddress !== undefined ? { addr: req.socket.remoteAddress } : {}),
    };
    const sent = await this.adapter.sendToNode(owner, encodeForwardMessage(request));
    if (!sent || !(await acked)) {
      this.finishOutgoing(id);
      notFound();
      return true;
    }
    this.touch(id);
    return true;
  }

  close(): void {
    for (const id of [...this.outgoing.keys()]) {
      const outgoing = this.outgoing.get(id);
      this.finishOutgoing(id);
      outgoing?.res.destroy();
    }
    for (const response of this.incoming.values()) response.abort();
    this.incoming.clear();
  }

  // -------------------------------------------------------------------------------------------

  private register(sessionId: string): void {
    if (!this.adapter.online) return;
    const { connection, keys, nodeId } = this.adapter;
    connection
      .multi()
      .set(keys.httpSession(sessionId), nodeId)
      .sadd(keys.nodeHttpSessions(nodeId), keys.httpSession(sessionId))
      .exec()
      .catch(() => undefined);
  }

  /** The node holding a session, when it is another node. */
  private async holderOf(sessionId: string): Promise<string | undefined> {
    if (!this.adapter.online) return undefined;
    try {
      const owner = await this.adapter.connection.get(this.adapter.keys.httpSession(sessionId));
      return owner === null || owner === this.adapter.nodeId ? undefined : owner;
    } catch {
      return undefined;
    }
  }

  private receive(raw: string): void {
    const message = decodeForwardMessage(raw);
    if (message === undefined) return;
    switch (message.t) {
      case 'req':
        this.serveForwarded(message);
        return;
      case 'abort':
        this.incoming.get(`${message.from}\n${message.id}`)?.abort();
        return;
      case 'ack':
      case 'head':
      case 'data':
      case 'end':
      case 'destroy':
        this.relay(message);
        return;
    }
  }

  /** Holder side: answer the requesting node at once (ack), then serve the request as if it came here. */
  private serveForwarded(message: Extract<ForwardMessage, { t: 'req' }>): void {
    const key = `${message.from}\n${message.id}`;
    const reply = (answer: ForwardMessage): Promise<boolean> =>
      this.adapter.sendToNode(message.from, encodeForwardMessage(answer));
    const response = new RemoteResponse(message.id, reply);
    this.incoming.set(key, response);
    response.on('close', () => this.incoming.delete(key));
    void reply({ t: 'ack', id: message.id });
    const handler = this.handler;
    if (handler === undefined) {
      response.destroy();
      return;
    }
    handler(forwardedRequest(message), response);
  }

  /** Requester side: write what the holder sent to the real response. */
  private relay(message: Exclude<ForwardMessage, { t: 'req' } | { t: 'abort' }>): void {
    const outgoing = this.outgoing.get(message.id);
    if (outgoing === undefined) return;
    const { res } = outgoing;
    switch (message.t) {
      case 'ack':
        outgoing.acked();
        return;
      case 'head':
        if (!res.headersSent) res.writeHead(message.status, message.headers);
        break;
      case 'data':
        res.write(message.chunk);
        res.flush?.();
        break;
      case 'end':
        this.finishOutgoing(message.id);
        res.end(message.chunk);
        return;
      case 'destroy':
        this.finishOutgoing(message.id);
        res.destroy();
        return;
    }
    this.touch(message.id);
  }

  /** (Re)starts the idle timer of a forwarded response: a holder that dies mid-stream must not leave it open forever. */
  private touch(id: string): void {
    const outgoing = this.outgoing.get(id);
    if (outgoing === undefined) return;
    this.clock.clearTimeout(outgoing.idle);
    outgoing.idle = this.clock.setTimeout(() => {
      this.finishOutgoing(id);
      outgoing.res.destroy();
    }, this.limits.idleTimeoutMs);
  }

  /** The real client closed before the answer ended: tell the holder, so its receiver detaches. */
  private clientGone(id: string): void {
    const outgoing = this.outgoing.get(id);
    if (outgoing === undefined || outgoing.done) return;
    this.finishOutgoing(id);
    void this.adapter.sendToNode(
      outgoing.owner,
      encodeForwardMessage({ t: 'abort', id, from: this.adapter.nodeId }),
    );
  }

  private finishOutgoing(id: string): void {
    const outgoing = this.outgoing.get(id);
    if (outgoing === undefined) return;
    outgoing.done = true;
    this.clock.clearTimeout(outgoing.idle);
    this.outgoing.delete(id);
  }
}

/** pusher-js receive requests are POSTs too (`xhr_streaming`, `xhr`); only sends get the lookup retry. */
const isReceive = (path: string): boolean => path.endsWith('/xhr_streaming') || path.endsWith('/xhr');

/** The request as the holder's endpoints read it: method, URL, path, the body already read, the client's address. */
function forwardedRequest(message: Extract<ForwardMessage, { t: 'req' }>): ForwardableRequest {
  const request = {
    method: message.method,
    url: message.url,
    path: message.path,
    headers: {},
    body: message.body,
    readableEnded: true,
    socket: { remoteAddress: message.addr },
  };
  return request as unknown as ForwardableRequest;
}
