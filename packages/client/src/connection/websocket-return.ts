import type { TransportName } from '@tether/protocol';
import type { ResolvedConnectionOptions } from '../options.js';
import type { ClientClock, TimerHandle } from '../platform/platform.js';
import type { ClientTransport } from '../transports/transport.js';
import type { EstablishedConnection } from '../strategy/transport-attempt.js';
import { probeWebSocket } from '../strategy/websocket-probe.js';

export interface WebSocketReturnDependencies {
  clock: ClientClock;
  options: Pick<
    ResolvedConnectionOptions,
    'probeDelayMs' | 'probeIntervalMs' | 'probeIntervalCapMs' | 'handshakeTimeoutMs' | 'pongTimeout'
  >;
  createTransport(name: TransportName, attempt: number): ClientTransport;
  nextAttemptId(): number;
  /** A probe succeeded: switch to its connection, then close the fallback (make-before-break). */
  moveBack(connection: EstablishedConnection, reason: string): void;
}

/**
 * While the client runs on a fallback, probes WebSocket in the background: first after
 * `probeDelayMs`, then after `probeIntervalMs` doubling up to the cap. Every probe counts towards
 * the doubling, a successful one too, until a WebSocket connection proves stable (`forgive`) or the
 * network changes: a proxy that lets the probe through but kills WebSockets later gets probed less
 * and less often instead of making the client flap between transports.
 */
export class WebSocketReturn {
  #timer: TimerHandle = null;
  #probe: { abort(): void } | null = null;
  /** Probes since WebSocket last proved stable (failed ones, and successful ones it did not outlive). */
  #unprovenProbes = 0;
  #lastFailureText: string | null = null;
  readonly #deps: WebSocketReturnDependencies;

  constructor(deps: WebSocketReturnDependencies) {
    this.#deps = deps;
  }

  /** Plans the next probe; `soon` starts over from the first delay (the network changed). */
  schedule(soon = false): void {
    if (soon) {
      this.cancel();
      this.#unprovenProbes = 0;
    }
    if (this.#timer !== null || this.#probe !== null) return;
    const { options } = this.#deps;
    const delay =
      this.#unprovenProbes === 0
        ? options.probeDelayMs
        : Math.min(
            options.probeIntervalCapMs,
            options.probeIntervalMs * 2 ** Math.min(this.#unprovenProbes - 1, 30),
          );
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = null;
      this.#start();
    }, delay);
  }

  cancel(): void {
    if (this.#timer !== null) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#probe?.abort();
    this.#probe = null;
  }

  /** A WebSocket connection proved stable: the next probe (if any) comes after the first delay again. */
  forgive(): void {
    this.#unprovenProbes = 0;
  }

  /** The last probe failure, as a sentence for diagnostics. */
  get lastFailure(): string | null {
    return this.#lastFailureText;
  }

  #start(): void {
    const { options } = this.#deps;
    const startedAt = this.#deps.clock.now();
    this.#probe = probeWebSocket(
      {
        clock: this.#deps.clock,
        createTransport: (name, attempt) => this.#deps.createTransport(name, attempt),
        attempt: this.#deps.nextAttemptId(),
        handshakeTimeoutMs: options.handshakeTimeoutMs,
        pongTimeoutMs: options.pongTimeout,
      },
      {
        succeeded: (connection) => {
          this.#probe = null;
          this.#unprovenProbes += 1;
          this.#lastFailureText = null;
          const roundTrip = this.#deps.clock.now() - startedAt;
          this.#deps.moveBack(
            connection,
            `Moved back to websocket: a probe completed the handshake and a ping in ${roundTrip} ms.`,
          );
        },
        failed: (reason) => {
          this.#probe = null;
          this.#unprovenProbes += 1;
          this.#lastFailureText = `A websocket probe failed (${reason}); probing again later.`;
          this.schedule();
        },
      },
    );
  }
}
