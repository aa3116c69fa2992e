import { decodeServerFrame, type ClientFrame, type ServerFrame } from '@tether/protocol';
import type {
  Connection,
  ConnectionDiagnostics,
  ConnectionEventName,
  ConnectionEvents,
  ConnectionListener,
} from '../../src/connection/connection.js';
import { ConnectionState } from '../../src/connection/connection-state.js';

/**
 * An in-memory `Connection` for unit tests: records what the client sends and emits the states
 * and frames a test scripts. No sockets, no timers.
 */
export class FakeConnection implements Connection {
  state: ConnectionState = ConnectionState.Initialized;
  socketId: string | null = null;
  transport: Connection['transport'] = null;
  readonly sent: ClientFrame[] = [];
  connectCalls = 0;
  disconnectCalls = 0;
  readonly #listeners = new Map<string, Set<(context: never) => void>>();

  connect(): void {
    this.connectCalls += 1;
  }

  disconnect(): void {
    this.disconnectCalls += 1;
    this.setState(ConnectionState.Disconnected);
    this.socketId = null;
  }

  send(frame: ClientFrame): boolean {
    if (this.state !== ConnectionState.Connected) return false;
    this.sent.push(frame);
    return true;
  }

  bind<K extends ConnectionEventName>(event: K, listener: ConnectionListener<K>): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener);
    this.#listeners.set(event, set);
    return () => this.unbind(event, listener);
  }

  unbind<K extends ConnectionEventName>(event: K, listener?: ConnectionListener<K>): void {
    if (listener === undefined) this.#listeners.delete(event);
    else this.#listeners.get(event)?.delete(listener);
  }

  diagnostics(): ConnectionDiagnostics {
    return {
      state: this.state,
      socketId: this.socketId,
      transport: this.transport,
      attempts: 0,
      transports: [],
      memory: null,
      lastClose: null,
      activityTimeoutMs: 120_000,
      why: 'fake',
    };
  }

  // --- scripting ------------------------------------------------------------------------------

  emit<K extends ConnectionEventName>(event: K, context: ConnectionEvents[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])])
      (listener as ConnectionListener<K>)(context);
  }

  setState(current: ConnectionState): void {
    const previous = this.state;
    if (previous === current) return;
    this.state = current;
    this.emit('state_change', { previous, current });
  }

  /** connecting → connected with this socket id, as the ConnectionManager reports it. */
  open(socketId: string): void {
    this.setState(ConnectionState.Connecting);
    this.socketId = socketId;
    this.transport = 'websocket';
    this.setState(ConnectionState.Connected);
    this.emit('connected', { socketId, transport: 'websocket', activityTimeoutMs: 120_000 });
  }

  /** The socket dropped: back to connecting (the manager retries). */
  drop(): void {
    this.socketId = null;
    this.setState(ConnectionState.Connecting);
  }

  /** Delivers a server frame given as its wire JSON, decoded by protocol as the manager does. */
  receive(wire: Record<string, unknown>): void {
    const decoded = decodeServerFrame(JSON.stringify(wire));
    if (!decoded.ok) throw new Error(`test frame does not decode: ${decoded.error.message}`);
    this.emit('message', { frame: decoded.frame });
  }

  receiveFrame(frame: ServerFrame): void {
    this.emit('message', { frame });
  }

  /** Frames sent so far with this event name. */
  sentOf(event: string): ClientFrame[] {
    return this.sent.filter((frame) => frame.event === event);
  }

  clearSent(): void {
    this.sent.length = 0;
  }
}
