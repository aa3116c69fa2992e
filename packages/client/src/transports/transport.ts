import type { TransportName } from '@tether/protocol';

/**
 * A client transport only moves frames: `open / send / close`, and `open / frame / close / error`
 * events, named like the server's. Handshake, heartbeat and retries live above it.
 *
 * Every transport is stamped with the attempt id the strategy gave it, and every event carries it,
 * so a listener can drop callbacks from an attempt it has replaced. After `close()` (ours) or a
 * `close` event (theirs) a transport emits nothing more.
 */

export interface TransportOpenContext {
  attempt: number;
}

export interface TransportFrameContext {
  attempt: number;
  /** One encoded server frame, as received. */
  raw: unknown;
}

export interface TransportCloseContext {
  attempt: number;
  code: number;
  reason: string;
  /** False when the connection dropped without a closing handshake. */
  wasClean: boolean;
}

export interface TransportErrorContext {
  attempt: number;
  message: string;
}

export interface ClientTransportEvents {
  open: TransportOpenContext;
  frame: TransportFrameContext;
  close: TransportCloseContext;
  error: TransportErrorContext;
}

export type ClientTransportListener<K extends keyof ClientTransportEvents> = (
  context: ClientTransportEvents[K],
) => void;

export interface ClientTransport {
  readonly name: TransportName;
  readonly attempt: number;
  /** Starts connecting. Called once. */
  open(): void;
  /** Sends one encoded client frame; false when the transport is not open. */
  send(frame: string): boolean;
  /** Ends the transport from our side. Emits nothing afterwards. Idempotent. */
  close(code?: number, reason?: string): void;
  on<K extends keyof ClientTransportEvents>(event: K, listener: ClientTransportListener<K>): void;
}

/** Creates the transport for one attempt. */
export type TransportFactory = (name: TransportName, attempt: number) => ClientTransport;

/** Listener bookkeeping shared by the transports: one listener list per event, dropped on close. */
export class TransportEmitter {
  #listeners: { [K in keyof ClientTransportEvents]?: ClientTransportListener<K>[] } = {};
  #done = false;

  on<K extends keyof ClientTransportEvents>(event: K, listener: ClientTransportListener<K>): void {
    const list = (this.#listeners[event] ??= []) as ClientTransportListener<K>[];
    list.push(listener);
  }

  emit<K extends keyof ClientTransportEvents>(event: K, context: ClientTransportEvents[K]): void {
    if (this.#done) return;
    if (event === 'close') this.#done = true;
    for (const listener of [...(this.#listeners[event] ?? [])]) listener(context);
    if (event === 'close') this.#listeners = {};
  }

  /** Silences every later event (our own close). */
  stop(): void {
    this.#done = true;
    this.#listeners = {};
  }

  get stopped(): boolean {
    return this.#done;
  }
}
