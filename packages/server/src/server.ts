import type { IncomingMessage, RequestListener, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import express from 'express';
import { WebSocketServer } from 'ws';
import {
  checkProtocolVersion,
  CloseCode,
  ConnectParam,
  encodeFrame,
  parseAppPath,
  PusherEvent,
  SERVER_TO_USER_PREFIX,
} from '@tether/protocol';
import type { Adapter, ClusterChange } from './adapters/adapter.js';
import { MemoryAdapter } from './adapters/memory-adapter.js';
import { RedisAdapter } from './adapters/redis-adapter.js';
import { HttpForwarder } from './cluster/http-forwarder.js';
import { reportClusterChange } from './cluster/report-cluster-change.js';
import type { AppConfig } from './app-config.js';
import { AppRegistry } from './app-registry.js';
import { ChannelRegistry } from './channels/channel-registry.js';
import { publishChannelEvent } from './channels/publish-channel-event.js';
import { systemClock, type Clock } from './clock.js';
import { HeartbeatSweep } from './heartbeat.js';
import type { ApiBackend, ApiChannelState, ApiTriggerEvent } from './api/api-backend.js';
import { createHttpApi, type HttpApi } from './api/api-router.js';
import { tetherServerDefaults, type TetherServerInput, type TetherServerOptions } from './options.js';
import { ServerEventEmitter } from './server-event-emitter.js';
import type {
  TetherServerEventName,
  TetherServerEventSource,
  TetherServerListener,
} from './server-events.js';
import { Session } from './session.js';
import type { SessionServices } from './session-services.js';
import { createSocketIdFactory, type SocketIdFactory } from './socket-id.js';
import {
  createHttpFallbacks,
  type HttpFallbackLimits,
  type HttpFallbacks,
} from './transports/http-fallbacks.js';
import type { SessionHost, SessionOpenRequest, SessionOpenResult } from './transports/transport.js';
import { RoutedWebSocket, WebSocketTransport } from './transports/websocket.js';
import { attachWebhooks, type WebhookSender } from './webhooks/attach-webhooks.js';

const MS_PER_SECOND = 1000;

export interface DrainOptions {
  /** Upper bound in milliseconds; clients still open afterwards are cut. */
  drainMs?: number;
}

export interface AttachOptions {
  /** Answer the HTTP fallback routes before the server's other request listeners (see `attach`). */
  fallbacksFirst?: boolean;
  /** Answer the HTTP API's publish endpoints before the server's other request listeners (see `attach`). */
  apiFirst?: boolean;
}

export const attachDefaults = {
  fallbacksFirst: false,
  apiFirst: false,
} as const satisfies Required<AttachOptions>;

/** A request handler tried before the app's: true when it took the request. */
type ServeFirst = (req: IncomingMessage, res: ServerResponse) => boolean;

interface HttpSide {
  router: express.Router;
  fallbacks: HttpFallbacks;
  api: HttpApi;
}

/**
 * A Pusher-compatible realtime server that never owns a port: `attach(httpServer)` takes WebSocket
 * upgrades for `{pathPrefix}/app/:key`, `router()` serves the HTTP side, `on()` reports what happens.
 */
export class TetherServer implements SessionHost, ApiBackend, TetherServerEventSource {
  readonly options: Readonly<
    Omit<
      TetherServerOptions,
      'apps' | 'adapter' | 'clock' | 'nodeId' | 'webhooks' | 'httpFallbacks' | 'redisUrl' | 'redisKeyPrefix'
    >
  >;
  readonly apps: AppRegistry;
  readonly clock: Clock;
  readonly adapter: Adapter;
  private readonly events = new ServerEventEmitter();
  private readonly registry = new ChannelRegistry();
  private readonly sessions = new Map<string, Session>();
  private readonly connectionsPerApp = new Map<string, number>();
  private readonly socketIds: SocketIdFactory;
  private readonly services: SessionServices;
  private readonly wss: WebSocketServer;
  /** One timer pings every WebSocket session (none per connection); runs while any session is open. */
  private readonly heartbeat: HeartbeatSweep;
  /** Undoes each `attach()`: its upgrade listener off, the server's own request listeners back. */
  private readonly detachers: (() => void)[] = [];
  private readonly sessionEndWaiters = new Set<() => void>();
  private readonly webhooks: WebhookSender;
  private draining = false;
  private readonly httpFallbackLimits: Partial<HttpFallbackLimits>;
  private http: HttpSide | undefined;

  constructor(input: TetherServerInput = {}) {
    const { apps, adapter, clock, nodeId, webhooks, httpFallbacks, redisUrl, redisKeyPrefix, ...rest } =
      input;
    this.options = { ...tetherServerDefaults, ...stripUndefined(rest) };
    if (!(this.options.activityTimeoutSeconds > 0))
      throw new Error('activityTimeoutSeconds must be greater than 0');
    this.apps = new AppRegistry(apps ?? []);
    this.clock = clock ?? systemClock;
    this.adapter =
      adapter ??
      (redisUrl !== undefined
        ? new RedisAdapter({
            url: redisUrl,
            ...(redisKeyPrefix !== undefined ? { keyPrefix: redisKeyPrefix } : {}),
            clock: this.clock,
            onError: (context) => this.events.emit('error', context),
          })
        : new MemoryAdapter(this.clock));
    this.socketIds = createSocketIdFactory(nodeId !== undefined ? { nodeId } : {});
    this.wss = new WebSocketServer({
      noServer: true,
      // No extension is ever negotiated, so every recipient of a frame gets the same bytes (writeFramesToRaw).
      perMessageDeflate: false,
      maxPayload: this.options.maxFrameBytes,
      clientTracking: false,
      WebSocket: RoutedWebSocket,
    });
    this.heartbeat = new HeartbeatSweep(
      this.clock,
      { intervalMs: this.options.heartbeatIntervalMs, timeoutMs: this.options.pongTimeoutMs },
      () => this.sessions.values(),
    );
    this.services = {
      clock: this.clock,
      adapter: this.adapter,
      registry: this.registry,
      events: this.events,
      options: this.options,
      sessionEnded: (session) => this.sessionEnded(session),
    };
    this.httpFallbackLimits = httpFallbacks ?? {};
    this.webhooks = attachWebhooks(this.events, {
      clock: this.clock,
      error: (context) => this.events.emit('error', context),
      ...webhooks,
    });
    const node = {
      nodeId: String(this.socketIds.nodeId),
      onClusterChange: (change: ClusterChange) => reportClusterChange(this.apps, this.events, change),
    };
    void Promise.resolve(this.adapter.init((message) => this.registry.deliver(message), node)).catch(
      (error: unknown) => this.events.emit('error', { error, context: 'adapter init' }),
    );
  }

  on<K extends TetherServerEventName>(event: K, listener: TetherServerListener<K>): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Handles WebSocket upgrades for `{pathPrefix}/app/...` on this HTTP server; other paths are left alone.
   * With `fallbacksFirst`, it also answers the HTTP fallback routes ahead of the server's request
   * listeners (your Express app), so polls and streams skip the app's middleware. With `apiFirst`, it
   * answers the HTTP API's publish endpoints (`POST /apps/:id/events` and `/batch_events` in the plain form
   * the SDKs send) the same way, on Node's own request and response (no X-Powered-By or ETag). Call it
   * after the app is on the server; everything else still reaches the app, including the other API
   * endpoints. `close()` gives the server its request listeners back.
   */
  attach(server: HttpServer, options: AttachOptions = {}): void {
    const { fallbacksFirst, apiFirst } = { ...attachDefaults, ...stripUndefined(options) };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void =>
      this.handleUpgrade(req, socket, head);
    server.on('upgrade', onUpgrade);
    this.detachers.push(() => server.off('upgrade', onUpgrade));
    const serveFirst = this.serveFirst(fallbacksFirst, apiFirst);
    if (serveFirst === undefined) return;
    const appListeners = server.listeners('request') as RequestListener[];
    const onRequest: RequestListener = (req, res) => {
      if (serveFirst(req, res)) return;
      for (const listener of appListeners) listener.call(server, req, res);
    };
    server.removeAllListeners('request');
    server.on('request', onRequest);
    this.detachers.push(() => {
      server.off('request', onRequest);
      for (const listener of appListeners) server.on('request', listener);
    });
  }

  /** What `attach` answers ahead of the app, in `router()`'s order: the fallbacks, then the API. */
  private serveFirst(fallbacksFirst: boolean, apiFirst: boolean): ServeFirst | undefined {
    if (!fallbacksFirst && !apiFirst) return undefined;
    const { fallbacks, api } = this.httpSide();
    if (!apiFirst) return (req, res) => fallbacks.serve(req, res);
    if (!fallbacksFirst) return api.serve;
    return (req, res) => fallbacks.serve(req, res) || api.serve(req, res);
  }

  /**
   * The HTTP side, built once: the HTTP fallback transports (SSE, long-poll, pusher-js xhr_streaming /
   * xhr_polling under `/pusher`) and the Pusher HTTP API (`/apps/:id/...`). Mount with `app.use(tether.router())`.
   */
  router(): express.Router {
    return this.httpSide().router;
  }

  private httpSide(): HttpSide {
    if (this.http === undefined) {
      const router = express.Router();
      const fallbacks = createHttpFallbacks({
        host: this,
        clock: this.clock,
        pathPrefix: this.options.pathPrefix,
        limits: this.httpFallbackLimits,
        ...(this.adapter instanceof RedisAdapter
          ? { remote: new HttpForwarder(this.adapter, { clock: this.clock }) }
          : {}),
      });
      const api = createHttpApi({
        backend: this,
        clock: this.clock,
        error: (context) => this.events.emit('error', context),
      });
      router.use(fallbacks.router);
      router.use(api.router);
      this.http = { router, fallbacks, api };
    }
    return this.http;
  }

  /** Connections open on this node. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  // -------------------------------------------------------------------------------------------
  // SessionHost

  openSession(request: SessionOpenRequest): SessionOpenResult {
    const app = this.apps.findByKey(request.key);
    if (app === undefined)
      return refuse(CloseCode.AppNotFound, `App key ${request.key.slice(0, 64)} not in this cluster`);
    if (!app.enabled) return refuse(CloseCode.AppDisabled, 'Application is disabled');
    const protocol = checkProtocolVersion(request.query.get(ConnectParam.Protocol), {
      lenient: this.options.lenientProtocol,
    });
    if (!protocol.ok) return refuse(protocol.closeCode, protocol.reason);
    if (this.draining) return refuse(CloseCode.OverCapacity, 'Server is shutting down; try again shortly');
    const open = this.connectionsPerApp.get(app.id) ?? 0;
    if (app.maxConnections > 0 && open >= app.maxConnections) {
      return refuse(CloseCode.OverConnectionQuota, 'Application is over its connection quota');
    }
    const socketId = this.socketIds.next((id) => this.sessions.has(id));
    const session = new Session(this.services, app, socketId, request.transport);
    this.sessions.set(socketId, session);
    this.connectionsPerApp.set(app.id, open + 1);
    this.heartbeat.start();
    session.start();
    this.events.emit('connection', { app, socketId, transport: request.transport.name });
    return { ok: true, socketId };
  }

  // -------------------------------------------------------------------------------------------
  // ApiBackend

  findAppById(id: string): AppConfig | undefined {
    return this.apps.findById(id);
  }

  async trigger(app: AppConfig, events: readonly ApiTriggerEvent[]): Promise<void> {
    for (const event of events) {
      const except = event.socketId !== undefined ? { exceptSocketId: event.socketId } : {};
      if (event.channel.startsWith(SERVER_TO_USER_PREFIX)) {
        const userId = event.channel.slice(SERVER_TO_USER_PREFIX.length);
        const frame = encodeFrame({ event: event.name, channel: event.channel, data: event.data });
        await this.adapter.publish({ kind: 'user', appId: app.id, userId, frame, ...except });
        continue;
      }
      await publishChannelEvent(this.adapter, this.clock, app, {
        channel: event.channel,
        event: event.name,
        data: event.data,
        ...except,
      });
    }
  }

  async channelInfo(app: AppConfig, channel: string): Promise<ApiChannelState> {
    const counts = await this.adapter.channelCounts(app.id, channel);
    const state: ApiChannelState = { subscriptionCount: counts.subscriptionCount };
    if (counts.userCount !== undefined) state.userCount = counts.userCount;
    const cached = await this.adapter.getCache(app.id, channel);
    if (cached !== undefined) {
      state.cache = {
        data: cached.data,
        ttl: Math.max(0, Math.ceil((cached.expiresAt - this.clock.now()) / MS_PER_SECOND)),
      };
    }
    return state;
  }

  async channels(app: AppConfig, prefix: string | undefined): Promise<Map<string, ApiChannelState>> {
    const found = await this.adapter.channels(app.id, prefix);
    const result = new Map<string, ApiChannelState>();
    for (const [name, counts] of found) {
      result.set(name, {
        subscriptionCount: counts.subscriptionCount,
        ...(counts.userCount !== undefined ? { userCount: counts.userCount } : {}),
      });
    }
    return result;
  }

  async channelUsers(app: AppConfig, channel: string): Promise<string[]> {
    const members = await this.adapter.members(app.id, channel);
    return members.map((member) => member.user_id);
  }

  async terminateUserConnections(app: AppConfig, userId: string): Promise<void> {
    await this.adapter.publish({ kind: 'terminate-user', appId: app.id, userId });
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Graceful drain: refuses new connections (4100), sends every client `pusher:error` + close 4200 so it
   * reconnects elsewhere, and resolves when all are gone (HTTP clients: when their next receive request
   * has carried the 4200) or `drainMs` has passed (then cuts the rest).
   */
  async drain(options: DrainOptions = {}): Promise<void> {
    this.draining = true;
    const sessions = [...this.sessions.values()];
    for (const session of sessions)
      session.closeWith(CloseCode.ReconnectImmediately, 'Server is shutting down; reconnect');
    const drainMs = options.drainMs ?? this.options.drainMs;
    // An HTTP session ends at once, but a polling client between two polls has not seen its 4200 yet.
    await Promise.all([this.untilNoSessions(drainMs), this.http?.fallbacks.closesDelivered(drainMs)]);
    if (this.sessions.size === 0) return;
    for (const session of this.sessions.values()) session.transport.terminate();
    await this.untilNoSessions(this.options.closeGraceMs);
  }

  /** Resolves when this node holds no session, or after `ms`. */
  private untilNoSessions(ms: number): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.clock.clearTimeout(timer);
        this.sessionEndWaiters.delete(check);
        resolve();
      };
      const check = (): void => {
        if (this.sessions.size === 0) done();
      };
      const timer = this.clock.setTimeout(done, ms);
      this.sessionEndWaiters.add(check);
    });
  }

  /** Drains, detaches from every HTTP server, sends the webhooks still pending and closes the adapter. */
  async close(options: DrainOptions = {}): Promise<void> {
    await this.drain(options);
    await this.webhooks.close();
    this.http?.fallbacks.close();
    // Last attached, first undone: each wrapping listener hands back exactly what it took.
    for (const detach of this.detachers.splice(0).reverse()) detach();
    this.wss.close();
    this.heartbeat.stop();
    await this.adapter.close();
  }

  // -------------------------------------------------------------------------------------------

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const appRoot = `${this.options.pathPrefix}/app`;
    if (url.pathname !== appRoot && !url.pathname.startsWith(`${appRoot}/`)) return;
    socket.on('error', ignoreSocketError);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // The remote address is read from the socket only if someone asks (it costs memory per connection).
      const transport = new WebSocketTransport(ws, socket, undefined, {
        maxBufferedBytes: this.options.maxBufferedBytes,
        writeFramesToRaw: true,
      });
      const key = parseAppPath(url.pathname, this.options.pathPrefix);
      const result =
        key === null
          ? refuse(CloseCode.PathNotFound, `Path not found: use ${appRoot}/KEY`)
          : this.openSession({ key, query: url.searchParams, transport });
      if (result.ok) return;
      transport.send(
        encodeFrame({ event: PusherEvent.Error, data: { code: result.closeCode, message: result.reason } }),
      );
      transport.close(result.closeCode, result.reason);
    });
  }

  private sessionEnded(session: Session): void {
    if (this.sessions.get(session.socketId) !== session) return;
    this.sessions.delete(session.socketId);
    const open = (this.connectionsPerApp.get(session.app.id) ?? 1) - 1;
    if (open > 0) this.connectionsPerApp.set(session.app.id, open);
    else this.connectionsPerApp.delete(session.app.id);
    if (this.sessions.size === 0) this.heartbeat.stop();
    for (const waiter of [...this.sessionEndWaiters]) waiter();
  }
}

/**
 * Module-level on purpose: a listener created inside `handleUpgrade` would share its closure context
 * and keep the upgrade request (headers, URL) alive for the connection's whole life (~2 KB each).
 */
const ignoreSocketError = (): void => undefined;

const refuse = (closeCode: number, reason: string): SessionOpenResult => ({ ok: false, closeCode, reason });

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

export function createTetherServer(options: TetherServerInput = {}): TetherServer {
  return new TetherServer(options);
}
