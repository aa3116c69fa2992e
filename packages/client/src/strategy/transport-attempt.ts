import {
  CloseCode,
  decodeServerFrame,
  PusherEvent,
  type ErrorData,
  type TransportName,
} from '@tether/protocol';
import type { ClientClock, TimerHandle } from '../platform/platform.js';
import type { ClientTransport } from '../transports/transport.js';
import { serverFrameIs } from '../connection/server-frame-is.js';

/** A transport that completed the Pusher handshake. */
export interface EstablishedConnection {
  transport: ClientTransport;
  socketId: string;
  /** `activity_timeout` from `connection_established`, in seconds. */
  serverActivityTimeout: number;
  startedAt: number;
  openedAt: number;
  establishedAt: number;
}

export type AttemptFailureKind = 'close' | 'handshake_error' | 'timeout';

/** Why one attempt ended before its handshake completed. */
export interface AttemptFailure {
  kind: AttemptFailureKind;
  transport: TransportName;
  attempt: number;
  code: number;
  reason: string;
  wasClean: boolean;
  startedAt: number;
  /** Null when the transport never opened. */
  openedAt: number | null;
  endedAt: number;
  /** A `pusher:error` the server sent before closing, if any. */
  serverError: ErrorData | null;
}

export interface AttemptHandlers {
  established(connection: EstablishedConnection): void;
  failed(failure: AttemptFailure): void;
}

/**
 * One transport through the Pusher handshake. It counts as working only once
 * `pusher:connection_established` arrives; a `pusher:error` before the close is kept so the close
 * can be reported with the server's reason. After it settles, it ignores the transport.
 */
export class TransportAttempt {
  #settled = false;
  #openedAt: number | null = null;
  #serverError: ErrorData | null = null;
  #timer: TimerHandle = null;
  readonly #startedAt: number;
  readonly #clock: ClientClock;
  readonly #handshakeTimeoutMs: number;
  readonly #handlers: AttemptHandlers;

  constructor(
    readonly transport: ClientTransport,
    clock: ClientClock,
    handshakeTimeoutMs: number,
    handlers: AttemptHandlers,
  ) {
    this.#clock = clock;
    this.#handshakeTimeoutMs = handshakeTimeoutMs;
    this.#handlers = handlers;
    this.#startedAt = clock.now();
  }

  get name(): TransportName {
    return this.transport.name;
  }

  get attempt(): number {
    return this.transport.attempt;
  }

  start(): void {
    const { transport } = this;
    transport.on('open', () => {
      if (!this.#settled) this.#openedAt = this.#clock.now();
    });
    transport.on('frame', ({ raw }) => this.#frame(raw));
    transport.on('close', ({ code, reason, wasClean }) => this.#fail('close', code, reason, wasClean, false));
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#fail(
        'timeout',
        CloseCode.AbnormalClosure,
        `No connection_established within ${this.#handshakeTimeoutMs} ms`,
        false,
        true,
      );
    }, this.#handshakeTimeoutMs);
    transport.open();
  }

  /** Stops the attempt without reporting anything. */
  abort(): void {
    if (this.#settled) return;
    this.#settle();
    this.transport.close();
  }

  #frame(raw: unknown): void {
    if (this.#settled) return;
    const decoded = decodeServerFrame(raw);
    if (decoded.ok && serverFrameIs(decoded.frame, PusherEvent.ConnectionEstablished)) {
      const now = this.#clock.now();
      this.#settle();
      this.#handlers.established({
        transport: this.transport,
        socketId: decoded.frame.data.socket_id,
        serverActivityTimeout: decoded.frame.data.activity_timeout,
        startedAt: this.#startedAt,
        openedAt: this.#openedAt ?? now,
        establishedAt: now,
      });
      return;
    }
    if (decoded.ok && serverFrameIs(decoded.frame, PusherEvent.Error)) {
      // The close usually follows; it will be reported with this reason.
      this.#serverError = decoded.frame.data;
      return;
    }
    const what = decoded.ok ? `${decoded.frame.event} before connection_established` : decoded.error.message;
    this.#fail('handshake_error', CloseCode.AbnormalClosure, `Handshake failed: ${what}`, false, true);
  }

  #fail(
    kind: AttemptFailureKind,
    code: number,
    reason: string,
    wasClean: boolean,
    closeTransport: boolean,
  ): void {
    if (this.#settled) return;
    this.#settle();
    if (closeTransport) this.transport.close();
    this.#handlers.failed({
      kind,
      transport: this.transport.name,
      attempt: this.transport.attempt,
      code,
      reason,
      wasClean,
      startedAt: this.#startedAt,
      openedAt: this.#openedAt,
      endedAt: this.#clock.now(),
      serverError: this.#serverError,
    });
  }

  #settle(): void {
    this.#settled = true;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
