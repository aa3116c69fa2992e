import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@tether/protocol';
import { WebSocket, type RawData } from 'ws';
import { endOfTurnCorkBatch, type CorkBatch, type Uncorkable } from './cork-batch.js';
import { createSharedWsTextFramer } from './ws-text-frame.js';
import type {
  ServerTransport,
  ServerTransportEvents,
  TransportListener,
  TransportReceiver,
} from './transport.js';

export interface WebSocketTransportLimits {
  /**
   * Bytes the socket may hold unsent (ws `bufferedAmount`). A send past it closes the connection with
   * 4110 (SlowConsumer) instead of buffering without bound for a peer that stopped reading.
   */
  maxBufferedBytes: number;
  /**
   * True when the WebSocket server negotiates no extension (Tether's own: `perMessageDeflate: false`), so
   * a text frame is the same bytes for every recipient: frames are then built once per fan-out
   * (`createSharedWsTextFramer`) and written straight to the raw socket instead of through `ws`'s sender,
   * which would frame each copy again. Needs `raw`.
   */
  writeFramesToRaw?: boolean;
}

/** One framer for every connection: consecutive sends of one fan-out share a frame. */
const sharedTextFrame = createSharedWsTextFramer();

export const SLOW_WEBSOCKET_REASON = 'Slow consumer: unsent data over the limit' as const;

/** ws's `readyState` values (the WebSocket standard's numbers). */
const ReadyState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;

/**
 * ws's WebSocket, handing its events to the WebSocketTransport that wraps it through one method on
 * the prototype. A plain ws socket needs four listener closures per connection for that, and its
 * `_events` object turns into a dictionary (about 0.7 KB of heap per connection in all). Listeners
 * added with `on()` still run. The server's WebSocketServer creates these (its `WebSocket` option);
 * a transport over any other ws socket falls back to listeners.
 */
export class RoutedWebSocket extends WebSocket {
  /** The transport this socket's events go to; set once by `WebSocketTransport`. */
  transport: WebSocketTransport | undefined = undefined;

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const transport = this.transport;
    if (transport === undefined) return super.emit(event, ...args);
    let routed = true;
    switch (event) {
      case 'message':
        transport.socketMessage(args[0] as RawData, args[1] === true);
        break;
      case 'pong':
        transport.socketPong();
        break;
      case 'close':
        transport.socketClose(args[0] as number, args[1] as Buffer);
        break;
      case 'error':
        // ws reports protocol violations (oversize frames: 1009, bad UTF-8: 1007) here, then closes itself.
        break;
      default:
        routed = false;
    }
    return this.listenerCount(event) > 0 ? super.emit(event, ...args) : routed;
  }
}

/**
 * A `ws` WebSocket as a ServerTransport: frames in, frames out, nothing else. Writes made in the same
 * turn of the event loop are batched: the raw socket is corked on the first write and uncorked with
 * every other corked socket at the end of the turn (`CorkBatch`), so a fan-out burst of many messages
 * reaches the kernel as one write per connection.
 *
 * Kept small on purpose (one per idle connection): no closure, listener array or options object of
 * its own unless a caller asks for one (`on()`, `ping(onPong)`).
 */
export class WebSocketTransport implements ServerTransport, Uncorkable {
  private readonly address: string | undefined;
  private readonly maxBufferedBytes: number;
  private readonly direct: boolean;
  private receiver: TransportReceiver | undefined = undefined;
  private frameListeners: TransportListener<'frame'>[] | undefined = undefined;
  private closeListeners: TransportListener<'close'>[] | undefined = undefined;
  private pongWaiters: (() => void)[] | undefined = undefined;
  private corked = false;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    /** The raw upgraded socket under `socket`, used only to cork/uncork batched writes. */
    private readonly raw: Duplex | undefined,
    /** Default: read from `raw` when first asked for. */
    remoteAddress?: string,
    limits: WebSocketTransportLimits = { maxBufferedBytes: Infinity },
    private readonly corkBatch: CorkBatch = endOfTurnCorkBatch,
  ) {
    this.address = remoteAddress;
    this.maxBufferedBytes = limits.maxBufferedBytes;
    this.direct = limits.writeFramesToRaw === true && raw !== undefined;
    if (socket instanceof RoutedWebSocket) {
      socket.transport = this;
      return;
    }
    socket.on('message', (data, isBinary) => this.socketMessage(data, isBinary));
    socket.on('pong', () => this.socketPong());
    socket.on('close', (code, reason) => this.socketClose(code, reason));
    // ws reports protocol violations (oversize frames: 1009, bad UTF-8: 1007) here and then closes itself.
    socket.on('error', () => undefined);
  }

  get name(): 'websocket' {
    return 'websocket';
  }

  get remoteAddress(): string | undefined {
    return this.address ?? (this.raw as Partial<Socket> | undefined)?.remoteAddress;
  }

  send(frame: string): void {
    if (this.closed || this.socket.readyState !== ReadyState.Open) return;
    if (this.socket.bufferedAmount + frame.length > this.maxBufferedBytes) {
      this.overflow();
      return;
    }
    if (this.raw !== undefined && !this.corked) {
      this.corked = true;
      this.raw.cork();
      this.corkBatch.add(this);
    }
    // ws's own sends (pings, close) write to `raw` synchronously too, so the order of frames is kept.
    if (this.direct) this.raw!.write(sharedTextFrame(frame));
    else this.socket.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === ReadyState.Closing || this.socket.readyState === ReadyState.Closed) return;
    this.uncork();
    this.socket.close(code, truncateReason(reason));
  }

  terminate(): void {
    this.socket.terminate();
  }

  ping(onPong?: () => void): void {
    if (this.socket.readyState !== ReadyState.Open) return;
    if (onPong !== undefined) (this.pongWaiters ??= []).push(onPong);
    this.socket.ping();
  }

  on<K extends keyof ServerTransportEvents>(event: K, listener: TransportListener<K>): void {
    if (event === 'frame') (this.frameListeners ??= []).push(listener as TransportListener<'frame'>);
    else (this.closeListeners ??= []).push(listener as TransportListener<'close'>);
  }

  setReceiver(receiver: TransportReceiver): void {
    this.receiver = receiver;
  }

  /** Called by the end-of-turn batch (`CorkBatch`), and before a close: flushes corked writes. */
  uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.raw?.uncork();
  }

  /** The socket's `message` event. */
  socketMessage(data: RawData, isBinary: boolean): void {
    const bytes = toBuffer(data);
    const raw = isBinary ? bytes : bytes.toString('utf8');
    this.receiver?.transportFrame(raw);
    const listeners = this.frameListeners;
    if (listeners !== undefined) for (const listener of listeners) listener({ raw });
  }

  /** The socket's `pong` event. */
  socketPong(): void {
    this.receiver?.transportPong();
    const waiters = this.pongWaiters;
    if (waiters === undefined) return;
    this.pongWaiters = undefined;
    for (const waiter of waiters) waiter();
  }

  /** The socket's `close` event. */
  socketClose(code: number, reason: Buffer): void {
    this.emitClose(code, reason.toString(), code !== ABNORMAL);
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

  private emitClose(code: number, reason: string, wasClean: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.uncork();
    const context = { code, reason, wasClean };
    this.receiver?.transportClosed(context);
    const listeners = this.closeListeners;
    if (listeners !== undefined) for (const listener of listeners) listener(context);
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

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}
