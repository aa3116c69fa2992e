import {
  CloseAction,
  CloseCode,
  decodeServerFrame,
  encodeClientFrame,
  isErrorClose,
  PusherEvent,
  type ClientFrame,
  type ErrorData,
  type TransportName,
} from '@tether/protocol';
import type { Platform, TimerHandle } from '../platform/platform.js';
import {
  resolveConnectionOptions,
  type ConnectionOptions,
  type ResolvedConnectionOptions,
} from '../options.js';
import type { ClientTransport } from '../transports/transport.js';
import { transportEndpoints, type TransportEndpoints } from '../transports/transport-endpoints.js';
import { isTransportSupported, transportFactory } from '../transports/transport-factory.js';
import { httpReachability, type ReachabilityCheck } from '../strategy/reachability.js';
import type { AttemptFailure, EstablishedConnection } from '../strategy/transport-attempt.js';
import { TransportHealthBook } from '../strategy/transport-health.js';
import { TransportMemory } from '../strategy/transport-memory.js';
import { TransportStrategy, type RaceWon } from '../strategy/transport-strategy.js';
import { planRetry, type RetryState } from './backoff.js';
import { closeContext } from './close-context.js';
import { serverFrameIs } from './server-frame-is.js';
import type {
  CloseContext,
  Connection,
  ConnectionDiagnostics,
  ConnectionEventName,
  ConnectionEvents,
  ConnectionListener,
} from './connection.js';
import { ConnectionState } from './connection-state.js';
import { activityTimeoutAfterDrop, effectiveActivityTimeout, Heartbeat } from './heartbeat.js';
import { TypedEmitter } from './typed-emitter.js';
import { WebSocketReturn } from './websocket-return.js';

export interface ConnectionManagerOverrides {
  /** Replaces the HTTP probe that decides whether a WebSocket death was the transport's own fault. */
  reachable?: ReachabilityCheck;
  /** Replaces transport creation (tests). */
  createTransport?: (name: TransportName, attempt: number, endpoints: TransportEndpoints) => ClientTransport;
}

interface Current {
  connection: EstablishedConnection;
  /** The last frame was a `pusher:error`: a close right after it is reported with its reason. */
  serverError: ErrorData | null;
}

const CONNECTING_STATES: ReadonlySet<ConnectionState> = new Set([
  ConnectionState.Connecting,
  ConnectionState.Unavailable,
]);

/**
 * The connection state machine (spec §3, ARCHITECTURE "The client strategy"): runs the transport
 * race, keeps the winner alive with the heartbeat, and after every close tells the app why and
 * reconnects as the close code says, paced by backoff. It never touches platform globals.
 */
export class ConnectionManager implements Connection {
  readonly #options: ResolvedConnectionOptions;
  readonly #emitter: TypedEmitter<ConnectionEvents>;
  readonly #health: TransportHealthBook;
  readonly #memory: TransportMemory;
  readonly #strategy: TransportStrategy;
  readonly #heartbeat: Heartbeat;
  readonly #wsReturn: WebSocketReturn;

  #currentState: ConnectionState = ConnectionState.Initialized;
  #current: Current | null = null;
  #lastTransport: TransportName | null = null;
  #race: { abort(): void } | null = null;
  #retryTimer: TimerHandle = null;
  #unavailableTimer: TimerHandle = null;
  #connectingSince = 0;
  #attemptIds = 0;
  #attempts = 0;
  #retryState: RetryState = { failures: 0, immediate: 0 };
  #tls: boolean;
  #learntActivityMs: number | null = null;
  #lastClose: CloseContext | null = null;
  #why = 'Not connected yet.';
  #unlisten: (() => void)[] = [];
  readonly #platform: Platform;
  readonly #overrides: ConnectionManagerOverrides;

  constructor(options: ConnectionOptions, platform: Platform, overrides: ConnectionManagerOverrides = {}) {
    this.#platform = platform;
    this.#overrides = overrides;
    this.#options = resolveConnectionOptions(options);
    this.#tls = this.#options.forceTLS ?? platform.pageIsSecure();
    this.#emitter = new TypedEmitter(platform.clock);
    this.#health = new TransportHealthBook({
      clock: platform.clock,
      network: platform.network,
      reachable:
        overrides.reachable ??
        (() =>
          httpReachability(platform, this.#endpoints().reachability, this.#options.reachabilityTimeoutMs)()),
      lives: this.#options.lives,
      banDurationMs: this.#options.banDurationMs,
      activityTimeoutMs: this.#options.activityTimeout,
    });
    this.#memory = new TransportMemory(platform.storage, platform.clock, this.#options.memoryTtlMs);
    this.#strategy = new TransportStrategy({
      clock: platform.clock,
      options: this.#options,
      health: this.#health,
      memory: this.#memory,
      isSupported: (name) => isTransportSupported(platform, name),
      nextAttemptId: () => this.#nextAttemptId(),
    });
    this.#heartbeat = new Heartbeat(platform.clock, this.#options, {
      ping: () => this.#sendRaw(encodeClientFrame({ event: PusherEvent.Ping, data: {} })),
      dead: () => this.#pongTimedOut(),
    });
    this.#wsReturn = new WebSocketReturn({
      clock: platform.clock,
      options: this.#options,
      createTransport: (name, attempt) => this.#createTransport(name, attempt),
      nextAttemptId: () => this.#nextAttemptId(),
      moveBack: (connection, reason) => this.#moveBack(connection, reason),
    });
  }

  get state(): ConnectionState {
    return this.#currentState;
  }

  get socketId(): string | null {
    return this.#current?.connection.socketId ?? null;
  }

  get transport(): TransportName | null {
    return this.#current?.connection.transport.name ?? null;
  }

  bind<K extends ConnectionEventName>(event: K, listener: ConnectionListener<K>): () => void {
    return this.#emitter.bind(event, listener);
  }

  unbind<K extends ConnectionEventName>(event: K, listener?: ConnectionListener<K>): void {
    this.#emitter.unbind(event, listener);
  }

  connect(): void {
    if (this.#currentState === ConnectionState.Connected || CONNECTING_STATES.has(this.#currentState)) return;
    if (!this.#strategy.isSupported()) {
      const enabled = this.#options.transports.join(', ') || 'none';
      const reason = `No enabled transport is supported here (enabled: ${enabled})`;
      this.#why = reason;
      this.#setState(ConnectionState.Failed);
      this.#emitter.emit('failed', { reason });
      return;
    }
    this.#listenToNetwork();
    this.#retryState = { failures: 0, immediate: 0 };
    this.#startConnecting();
  }

  disconnect(): void {
    this.#stopEverything();
    this.#unlistenNetwork();
    this.#why = 'Disconnected by the app.';
    if (this.#currentState === ConnectionState.Disconnected) return;
    this.#setState(ConnectionState.Disconnected);
    this.#emitter.emit('disconnected', { close: null });
  }

  send(frame: ClientFrame): boolean {
    if (this.#currentState !== ConnectionState.Connected) return false;
    return this.#sendRaw(encodeClientFrame(frame));
  }

  diagnostics(): ConnectionDiagnostics {
    return {
      state: this.#currentState,
      socketId: this.socketId,
      transport: this.transport,
      attempts: this.#attempts,
      transports: this.#health.diagnostics(this.#options.transports),
      memory: this.#memory.read(this.#tls),
      lastClose: this.#lastClose,
      activityTimeoutMs: this.#current
        ? this.#heartbeat.activityTimeoutMs
        : effectiveActivityTimeout(this.#options, 0, this.#learntActivityMs),
      why:
        this.#wsReturn.lastFailure && this.#current
          ? `${this.#why} ${this.#wsReturn.lastFailure}`
          : this.#why,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Connecting

  #startConnecting(): void {
    this.#clearRetryTimer();
    this.#race?.abort();
    this.#enterConnecting();
    this.#attempts += 1;
    this.#emitter.emit('connecting', { attempt: this.#attempts });
    this.#race = this.#strategy.run(this.#tls, (name, attempt) => this.#createTransport(name, attempt), {
      won: (result) => this.#raceWon(result),
      lost: ({ failure }) => {
        this.#race = null;
        this.#closed(this.#failureClose(failure, true));
      },
      attemptFailed: (failure, final) => this.#attemptFailed(failure, final),
    });
  }

  #enterConnecting(): void {
    if (CONNECTING_STATES.has(this.#currentState)) return;
    this.#setState(ConnectionState.Connecting);
    this.#connectingSince = this.#platform.clock.now();
    this.#clearUnavailableTimer();
    this.#unavailableTimer = this.#platform.clock.setTimeout(() => {
      this.#unavailableTimer = null;
      if (this.#currentState !== ConnectionState.Connecting) return;
      this.#why = `Still connecting after ${this.#options.unavailableTimeout} ms; retrying.`;
      this.#setState(ConnectionState.Unavailable);
      this.#emitter.emit('unavailable', { since: this.#connectingSince });
    }, this.#options.unavailableTimeout);
  }

  #raceWon(result: RaceWon): void {
    this.#race = null;
    const { connection, why } = result;
    this.#memory.write(this.#tls, {
      transport: connection.transport.name,
      latency: connection.establishedAt - connection.startedAt,
      reason: why,
    });
    this.#attach(connection, why, why);
  }

  #attemptFailed(failure: AttemptFailure, final: boolean): void {
    if (failure.openedAt !== null)
      this.#judge(failure.transport, failure.code, failure.wasClean, failure.endedAt - failure.openedAt);
    if (failure.kind === 'handshake_error') {
      this.#emitter.emit('error', {
        type: 'handshake_error',
        transport: failure.transport,
        message: failure.reason,
      });
    } else if (!final) {
      this.#emitter.emit('error', {
        type: 'transport_error',
        transport: failure.transport,
        message: `${failure.transport} attempt failed: ${failure.code} ${failure.serverError?.message ?? failure.reason}`,
      });
    }
  }

  #failureClose(failure: AttemptFailure, duringHandshake: boolean): CloseContext {
    return closeContext({
      code: failure.code,
      reason: failure.reason,
      wasClean: failure.wasClean,
      transport: failure.transport,
      serverError: failure.serverError,
      duringHandshake,
      ...(failure.kind === 'handshake_error' || failure.kind === 'timeout'
        ? { action: CloseAction.Backoff }
        : {}),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Connected

  #attach(connection: EstablishedConnection, why: string, changeReason: string): void {
    this.#clearUnavailableTimer();
    const { transport } = connection;
    const current: Current = { connection, serverError: null };
    this.#current = current;
    const mine = (attempt: number): boolean => this.#current === current && attempt === transport.attempt;
    transport.on('frame', ({ attempt, raw }) => {
      if (mine(attempt)) this.#frame(current, raw);
    });
    transport.on('error', ({ attempt, message }) => {
      if (mine(attempt))
        this.#emitter.emit('error', { type: 'transport_error', transport: transport.name, message });
    });
    transport.on('close', ({ attempt, code, reason, wasClean }) => {
      if (mine(attempt)) this.#transportClosed(current, code, reason, wasClean);
    });
    const activityTimeoutMs = effectiveActivityTimeout(
      this.#options,
      connection.serverActivityTimeout,
      this.#learntActivityMs,
    );
    this.#heartbeat.start(activityTimeoutMs);
    this.#attempts = 0;
    this.#why = why;
    this.#setState(ConnectionState.Connected);
    this.#emitter.emit('connected', {
      socketId: connection.socketId,
      transport: transport.name,
      activityTimeoutMs,
    });
    if (this.#lastTransport !== transport.name) {
      this.#emitter.emit('transport_change', {
        previous: this.#lastTransport,
        current: transport.name,
        reason: changeReason,
      });
    }
    this.#lastTransport = transport.name;
    if (transport.name !== 'websocket' && this.#strategy.candidates().includes('websocket'))
      this.#wsReturn.schedule();
  }

  #frame(current: Current, raw: unknown): void {
    this.#heartbeat.activity();
    const decoded = decodeServerFrame(raw);
    if (!decoded.ok) {
      current.serverError = null;
      this.#emitter.emit('error', {
        type: 'transport_error',
        transport: current.connection.transport.name,
        message: decoded.error.message,
      });
      return;
    }
    const { frame } = decoded;
    current.serverError = serverFrameIs(frame, PusherEvent.Error) ? frame.data : null;
    if (serverFrameIs(frame, PusherEvent.Ping)) {
      this.#sendRaw(encodeClientFrame({ event: PusherEvent.Pong, data: {} }));
      return;
    }
    if (serverFrameIs(frame, PusherEvent.Pong) || serverFrameIs(frame, PusherEvent.ConnectionEstablished))
      return;
    if (serverFrameIs(frame, PusherEvent.Error)) {
      this.#emitter.emit('error', {
        type: 'pusher_error',
        code: frame.data.code,
        message: frame.data.message,
      });
    }
    this.#emitter.emit('message', { frame });
  }

  #transportClosed(current: Current, code: number, reason: string, wasClean: boolean): void {
    const { connection } = current;
    const lifespanMs = this.#platform.clock.now() - connection.openedAt;
    this.#detach();
    this.#judge(connection.transport.name, code, wasClean, lifespanMs);
    if (code === CloseCode.AbnormalClosure) {
      this.#learntActivityMs = activityTimeoutAfterDrop(lifespanMs, this.#options);
    } else if (wasClean) {
      this.#learntActivityMs = null;
    }
    if (lifespanMs >= this.#options.stableConnectionMs) {
      this.#retryState = { failures: 0, immediate: 0 };
      if (connection.transport.name === 'websocket') this.#wsReturn.forgive();
    }
    this.#closed(
      closeContext({
        code,
        reason,
        wasClean,
        transport: connection.transport.name,
        serverError: current.serverError,
        duringHandshake: false,
      }),
    );
  }

  #pongTimedOut(): void {
    const current = this.#current;
    if (!current) return;
    const name = current.connection.transport.name;
    this.#detach();
    current.connection.transport.close(CloseCode.NormalClosure, 'no pong');
    this.#closed(
      closeContext({
        code: CloseCode.PongNotReceived,
        reason: `No pong within ${this.#options.pongTimeout} ms: closed as dead`,
        wasClean: false,
        transport: name,
        serverError: null,
        duringHandshake: false,
        action: CloseAction.Retry,
      }),
    );
  }

  #moveBack(connection: EstablishedConnection, reason: string): void {
    const old = this.#current;
    if (!old || this.#currentState !== ConnectionState.Connected) {
      connection.transport.close();
      return;
    }
    this.#health.of('websocket').liftBan();
    this.#health.of('websocket').recordSuccess();
    this.#detach();
    old.connection.transport.close(CloseCode.NormalClosure, 'moving back to websocket');
    this.#memory.write(this.#tls, {
      transport: 'websocket',
      latency: connection.establishedAt - connection.startedAt,
      reason,
    });
    this.#attach(connection, reason, reason);
  }

  /** Drops the current transport from our books (the caller closes it or it already closed). */
  #detach(): void {
    this.#current = null;
    this.#heartbeat.stop();
    this.#wsReturn.cancel();
  }

  #sendRaw(raw: string): boolean {
    return this.#current?.connection.transport.send(raw) ?? false;
  }

  // ------------------------------------------------------------------------------------------
  // After a close

  #closed(close: CloseContext): void {
    this.#lastClose = close;
    if (isErrorClose(close.code)) this.#emitter.emit('error', { type: 'close', close });
    const plan = planRetry(close.action, this.#retryState, this.#options, () => this.#platform.random());
    switch (plan.kind) {
      case 'stop':
        this.#stopEverything();
        this.#unlistenNetwork();
        this.#why = `Stopped: ${close.explanation}`;
        this.#setState(ConnectionState.Disconnected);
        this.#emitter.emit('disconnected', { close });
        return;
      case 'immediate':
        if (plan.switchToTls) this.#tls = true;
        this.#retryState = {
          failures: this.#retryState.failures + 1,
          immediate: this.#retryState.immediate + 1,
        };
        this.#scheduleRetry(plan.delayMs, close);
        return;
      case 'backoff':
        this.#retryState = { ...this.#retryState, failures: this.#retryState.failures + 1 };
        this.#scheduleRetry(plan.delayMs, close);
        return;
    }
  }

  #scheduleRetry(delayMs: number, close: CloseContext): void {
    this.#clearRetryTimer();
    this.#enterConnecting();
    let delay = delayMs;
    if (this.#platform.network.isOnline()) {
      this.#why = `Reconnecting after ${close.name} (${close.code}) on ${close.transport}.`;
    } else {
      delay = this.#options.offlineRetryMs;
      this.#why = 'The device is offline: waiting for the network.';
      if (this.#currentState === ConnectionState.Connecting) {
        this.#clearUnavailableTimer();
        this.#setState(ConnectionState.Unavailable);
        this.#emitter.emit('unavailable', { since: this.#connectingSince });
      }
    }
    if (delay > 0) this.#emitter.emit('connecting_in', { delayMs: delay, seconds: Math.round(delay / 1000) });
    this.#retryTimer = this.#platform.clock.setTimeout(() => {
      this.#retryTimer = null;
      this.#startConnecting();
    }, delay);
  }

  #judge(name: TransportName, code: number, wasClean: boolean, lifespanMs: number): void {
    void this.#health.judge(name, { code, wasClean, lifespanMs }).then((verdict) => {
      if (!verdict.counted || !verdict.banned) return;
      const ban = this.#health.of(name).banned;
      this.#emitter.emit('error', {
        type: 'transport_error',
        transport: name,
        message: `${name} is disabled until ${ban ? new Date(ban.until).toISOString() : 'later'}: ${ban?.reason ?? verdict.death.reason}`,
      });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Network and page signals

  #listenToNetwork(): void {
    if (this.#unlisten.length > 0) return;
    const { network } = this.#platform;
    this.#unlisten = [
      network.onOnline(() => this.#networkOnline()),
      network.onOffline(() => this.#networkOffline()),
      network.onVisible(() => this.#pageVisible()),
    ];
  }

  #unlistenNetwork(): void {
    for (const stop of this.#unlisten.splice(0)) stop();
  }

  /** The network changed: bans are lifted, and whatever waits goes now. */
  #networkOnline(): void {
    this.#health.resetAll();
    if (this.#currentState === ConnectionState.Connected) {
      this.#heartbeat.checkNow();
      if (this.transport !== 'websocket' && this.#strategy.candidates().includes('websocket'))
        this.#wsReturn.schedule(true);
    } else if (CONNECTING_STATES.has(this.#currentState)) {
      this.#startConnecting();
    }
  }

  /** Offline: check a live connection at once; a pending retry waits for `online` (or the slow offline retry). */
  #networkOffline(): void {
    if (this.#currentState === ConnectionState.Connected) {
      this.#heartbeat.checkNow();
      return;
    }
    if (this.#retryTimer === null || this.#lastClose === null) return;
    this.#scheduleRetry(this.#options.offlineRetryMs, this.#lastClose);
  }

  #pageVisible(): void {
    if (this.#currentState === ConnectionState.Connected) this.#heartbeat.checkNow();
    else if (CONNECTING_STATES.has(this.#currentState) && this.#retryTimer !== null) this.#startConnecting();
  }

  // ------------------------------------------------------------------------------------------
  // Bookkeeping

  #setState(next: ConnectionState): void {
    const previous = this.#currentState;
    if (previous === next) return;
    this.#currentState = next;
    this.#emitter.emit('state_change', { previous, current: next });
  }

  #stopEverything(): void {
    this.#race?.abort();
    this.#race = null;
    this.#clearRetryTimer();
    this.#clearUnavailableTimer();
    const current = this.#current;
    this.#detach();
    current?.connection.transport.close();
  }

  #clearRetryTimer(): void {
    if (this.#retryTimer !== null) this.#platform.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #clearUnavailableTimer(): void {
    if (this.#unavailableTimer !== null) this.#platform.clock.clearTimeout(this.#unavailableTimer);
    this.#unavailableTimer = null;
  }

  #nextAttemptId(): number {
    this.#attemptIds += 1;
    return this.#attemptIds;
  }

  #endpoints(): TransportEndpoints {
    return transportEndpoints(this.#options, this.#tls);
  }

  #createTransport(name: TransportName, attempt: number): ClientTransport {
    const endpoints = this.#endpoints();
    if (this.#overrides.createTransport) return this.#overrides.createTransport(name, attempt, endpoints);
    return transportFactory(this.#platform, endpoints)(name, attempt);
  }
}
