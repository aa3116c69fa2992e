import type { Duplex } from 'node:stream';
import { CloseCode } from '@tether/protocol';
import type { WebSocket } from 'ws';
import { endOfTurnCorkBatch, type CorkBatch } from './cork-batch.js';
import type { ServerTransport, ServerTransportEvents, TransportListener } from './transport.js';

export interface WebSocketTransportLimits {
  /**
   * Bytes the socket may hold unsent (ws `bufferedAmount`). A send past it closes the connection with
   * 4110 (SlowConsumer) instead of buffering without bound for a peer that stopped reading.
   */
  maxBufferedBytes: number;
}

export const SLOW_WEBSOCKET_REASON = 'Slow consumer: unsent data over the limit' as const;

/** ws's `readyState` values (the WebSocket standard's numbers). */
const ReadyState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;

/**
 * A `ws` WebSocket as a ServerTransport: frames in, frames out, nothing else. Writes made in the same
 * turn of the event loop are batched: the raw socket is corked on the first write and uncorked with
 * every other corked socket at the end of the turn (`CorkBatch`), so a fan-out burst of many messages
 * reaches the kernel as one write per connection.
 */
export class WebSocketTransport implements ServerTransport {
  readonly name = 'websocket' as const;
  readonly remoteAddress: string | undefined;
  private readonly listeners: { [K in keyof ServerTransportEvents]: TransportListener<K>[] } = {
    frame: [],
    close: [],
  };
  private corked = false;
  private closed = false;
  private pongWaiters: (() => void)[] = [];

  constructor(
    private readonly socket: WebSocket,
    /** The raw upgraded socket under `socket`, used only to cork/uncork batched writes. */
    private readonly raw: Duplex | undefined,
    remoteAddress?: string,
    private readonly limits: WebSocketTransportLimits = { maxBufferedBytes: Infinity },
    private readonly corkBatch: CorkBatch = endOfTurnCorkBatch,
  ) {
    this.remoteAddress = remoteAddress;
    socket.on('message', (data, isBinary) => {
      const bytes = toBuffer(data);
      const raw = isBinary ? bytes : bytes.toString('utf8');
      for (const listener of this.listeners.frame) listener({ raw });
    });
    socket.on('pong', () => {
      const waiters = this.pongWaiters;
      this.pongWaiters = [];
      for (const waiter of waiters) waiter();
    });
    socket.on('close', (code, reason) => this.emitClose(code, reason.toString(), code !== ABNORMAL));
    // ws reports protocol violations (oversize frames: 1009, bad UTF-8: 1007) here and then closes itself.
    socket.on('error', () => undefined);
  }

  send(frame: string): void {
    if (this.closed || this.socket.readyState !== ReadyState.Open) return;
    if (this.socket.bufferedAmount + frame.length > this.limits.maxBufferedBytes) {
      this.overflow();
      return;
    }
    if (this.raw !== undefined && !this.corked) {
      this.corked = true;
      this.raw.cork();
      this.corkBatch.add(this.uncork);
    }
    this.socket.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === ReadyState.Closing || this.socket.readyState === ReadyState.Closed) return;
    this.uncork();
    this.socket.close(code, truncateReason(reason));
  }

  terminate(): void {
    this.socket.terminate();
  }

  ping(onPong: () => void): void {
    if (this.socket.readyState !== ReadyState.Open) return;
    this.pongWaiters.push(onPong);
    this.socket.ping();
  }

  on<K extends keyof ServerTransportEvents>(event: K, listener: TransportListener<K>): void {
    (this.listeners[event] as TransportListener<K>[]).push(listener);
  }

  /**
   * The peer reads too slowly: the close frame is queued behind what it has not read (ws destroys the
   * socket if the closing handshake does not finish in time) and the Session is told at once, so the
   * connection stops taking memory and leaves its channels now.
   */
  private overflow(): void {
    this.uncork();
    this.socket.close(CloseCode.SlowConsumer, SLOW_WEBSOCKET_REASON);
    this.emitClose(CloseCode.SlowConsumer, SLOW_WEBSOCKET_REASON, false);
  }

  private readonly uncork = (): void => {
    if (!this.corked) return;
    this.corked = false;
    this.raw?.uncork();
  };

  private emitClose(code: number, reason: string, wasClean: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.uncork();
    for (const listener of this.listeners.close) listener({ code, reason, wasClean });
  }
}

const ABNORMAL = 1006;
/** A close reason must fit in a 125-byte control frame together with the 2-byte code. */
const MAX_REASON_BYTES = 123;

function truncateReason(reason: string): string {
  let text = reason;
  while (Buffer.byteLength(text) > MAX_REASON_BYTES) text = text.slice(0, -1);
  return text;
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}
