import type { CloseAction, ClientFrame, ServerFrame, TransportName } from '@tether/protocol';
import type { ConnectionState } from './connection-state.js';

/**
 * The connection as the rest of the client sees it: ConnectionManager implements it, Tether and
 * its channels consume it. Every listener gets one context object.
 */

export interface CloseContext {
  code: number;
  /** Short name of the code, e.g. "Abnormal closure". */
  name: string;
  /** What the server said; for a 1006 after a `pusher:error`, the reason from that error. */
  reason: string;
  wasClean: boolean;
  action: CloseAction;
  transport: TransportName;
  /** Plain language for a person, including the likely causes of a 1006. */
  explanation: string;
  likelyCauses: readonly string[];
}

export type ConnectionErrorContext =
  | { type: 'close'; close: CloseContext }
  | { type: 'pusher_error'; code: number | null; message: string }
  | { type: 'transport_error'; transport: TransportName; message: string }
  | { type: 'handshake_error'; transport: TransportName; message: string };

export interface ConnectionEvents {
  state_change: { previous: ConnectionState; current: ConnectionState };
  connecting: { attempt: number };
  connected: { socketId: string; transport: TransportName; activityTimeoutMs: number };
  unavailable: { since: number };
  failed: { reason: string };
  disconnected: { close: CloseContext | null };
  /** A retry is scheduled. */
  connecting_in: { delayMs: number; seconds: number };
  /** Every decoded server frame after the handshake. */
  message: { frame: ServerFrame };
  error: ConnectionErrorContext;
  /** The transport in use changed (a fallback won, or a background probe moved us back to WebSocket). */
  transport_change: { previous: TransportName | null; current: TransportName; reason: string };
}

export type ConnectionEventName = keyof ConnectionEvents;
export type ConnectionListener<K extends ConnectionEventName> = (context: ConnectionEvents[K]) => void;

export interface TransportDiagnostics {
  name: TransportName;
  attempts: number;
  successes: number;
  deaths: { at: number; code: number; lifespanMs: number; reason: string }[];
  /** When set, the transport is banned until this time. */
  disabledUntil: number | null;
  disabledReason: string | null;
}

export interface ConnectionDiagnostics {
  state: ConnectionState;
  socketId: string | null;
  transport: TransportName | null;
  /** Connect attempts since the last success. */
  attempts: number;
  transports: TransportDiagnostics[];
  /** The remembered transport entry, if any. */
  memory: { transport: TransportName; at: number; latency: number; reason: string } | null;
  lastClose: CloseContext | null;
  activityTimeoutMs: number;
  /** Why the current transport was chosen, in a sentence. */
  why: string;
}

export interface Connection {
  readonly state: ConnectionState;
  readonly socketId: string | null;
  readonly transport: TransportName | null;
  connect(): void;
  disconnect(): void;
  /** Sends when connected; returns false (and sends nothing) otherwise. */
  send(frame: ClientFrame): boolean;
  bind<K extends ConnectionEventName>(event: K, listener: ConnectionListener<K>): () => void;
  unbind<K extends ConnectionEventName>(event: K, listener?: ConnectionListener<K>): void;
  diagnostics(): ConnectionDiagnostics;
}
