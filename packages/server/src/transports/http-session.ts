import { CloseCode } from '@tether/protocol';
import type { ExpiryQueue, Expiring } from './http-expiry-queue.js';
import { OutboundQueue } from './http-outbound-queue.js';
import type { HttpTurnFlush, TurnFlushable } from './http-turn-flush.js';
import type {
  ServerTransport,
  ServerTransportEvents,
  ServerTransportName,
  TransportCloseContext,
  TransportListener,
} from './transport.js';

/**
 * One request that carries frames down to the client: an SSE or pusher-js stream, or a held poll.
 * A session has at most one attached at a time; a new one replaces the old.
 */
export interface HttpReceiver {
  /** Delivers what the session holds: its queued frames and, once it is closed, its close. */
  pump(): void;
  /** Replaced by a newer receive request, or the server is going away: finish the response quietly. */
  release(): void;
  /** The session died without a close frame: cut the connection. */
  destroy(): void;
}

/**
 * `open`: carrying frames. `closed`: closed with a code; still answers receive requests with its last
 * frames and the close until it expires. `dead`: collected or terminated; kept only as a tombstone so a
 * late request for it is told the session is gone instead of silently starting a new one.
 */
export type HttpSessionState = 'open' | 'closed' | 'dead';

export interface HttpSessionOptions {
  id: string;
  /** App key from the URL that opened the session; every later request must carry the same. */
  key: string;
  name: ServerTransportName;
  remoteAddress: string | undefined;
  limits: { maxQueuedFrames: number; maxQueuedBytes: number };
  /** Collection and tombstone expiry: one queue of `sessionGcMs` deadlines shared by every session. */
  collection: ExpiryQueue;
  /** Delivers what the session was handed during a turn of the event loop at its end, with every other session. */
  turn: HttpTurnFlush;
  /**
   * False when no later request can re-attach (SSE): losing the receive request ends the session at
   * once instead of after `sessionGcMs`.
   */
  reattachable: boolean;
  /** Called once, when the session can be forgotten (its tombstone expired or it was disposed). */
  onForget?: (session: HttpSession) => void;
  /** Called once, when a receive request has carried the session's close to the client. */
  onCloseDelivered?: (session: HttpSession) => void;
}

/**
 * The close an HTTP session reports to the core when it is collected, loses its only stream (SSE) or is
 * terminated: 1006 with wasClean false, exactly what a WebSocket whose peer vanished reports, so the core
 * cleans up the same way (unsubscribe everywhere, presence `member_removed`).
 */
export const HTTP_SESSION_LOST = {
  code: CloseCode.AbnormalClosure,
  expired: 'HTTP session expired: no receive request attached',
  streamLost: 'HTTP stream closed by the client',
  terminated: 'HTTP session terminated by the server',
} as const;

/** The close of a session that lost its client without a word: 1006, unclean. */
const lost = (reason: string): TransportCloseContext => ({
  code: HTTP_SESSION_LOST.code,
  reason,
  wasClean: false,
});

export const SLOW_CONSUMER_REASON = 'Slow consumer: outbound queue overflowed' as const;

type ListenerTable = { [K in keyof ServerTransportEvents]: TransportListener<K>[] };

/**
 * The per-session state every HTTP transport shares, and the one `ServerTransport` the core sees for
 * the whole life of the session, across the many requests that carry it.
 */
export class HttpSession implements ServerTransport, Expiring, TurnFlushable {
  readonly id: string;
  readonly key: string;
  readonly name: ServerTransportName;
  readonly remoteAddress: string | undefined;
  readonly queue: OutboundQueue;

  private currentState: HttpSessionState = 'open';
  private closeInfo: { code: number; reason: string } | null = null;
  private receiver: HttpReceiver | null = null;
  /** What happens when the session's deadline in `collection` passes; null when it has none. */
  private expiry: 'collect' | 'forget' | null = null;
  private flushScheduled = false;
  private forgotten = false;
  private closeDelivered = false;
  private readonly listeners: ListenerTable = { frame: [], close: [] };
  /** Kept by the session's framing so that it is not rebuilt for every answer (long-poll: the batch head); null until then. */
  framingMemo: string | null = null;
  // The collection queue's bookkeeping (see Expiring), declared so that queueing never reshapes a session.
  expiryQueue: ExpiryQueue | null = null;
  expiryPrev: Expiring | null = null;
  expiryNext: Expiring | null = null;
  expiryAt = 0;

  constructor(private readonly options: HttpSessionOptions) {
    this.id = options.id;
    this.key = options.key;
    this.name = options.name;
    this.remoteAddress = options.remoteAddress;
    this.queue = new OutboundQueue({
      maxFrames: options.limits.maxQueuedFrames,
      maxBytes: options.limits.maxQueuedBytes,
    });
    this.startTimer('collect');
  }

  get state(): HttpSessionState {
    return this.currentState;
  }

  /** The code and reason the session was closed with; null while open and for a dead session. */
  get closing(): { code: number; reason: string } | null {
    return this.closeInfo;
  }

  get attached(): boolean {
    return this.receiver !== null;
  }

  /** Closed with a code that no receive request has carried to the client yet (a graceful drain waits for these). */
  get closePending(): boolean {
    return this.currentState === 'closed' && !this.closeDelivered && !this.forgotten;
  }

  // -------------------------------------------------------------------------------------------
  // ServerTransport

  send(frame: string): void {
    if (this.currentState !== 'open') return;
    if (!this.queue.push(frame)) {
      this.queue.clear();
      this.close(CloseCode.SlowConsumer, SLOW_CONSUMER_REASON);
      return;
    }
    this.scheduleFlush();
  }

  close(code: number, reason: string): void {
    if (this.currentState !== 'open') return;
    this.currentState = 'closed';
    this.closeInfo = { code, reason };
    this.startTimer('forget');
    this.receiver?.pump();
    this.emit('close', { code, reason, wasClean: true });
  }

  terminate(): void {
    this.die(lost(HTTP_SESSION_LOST.terminated));
  }

  on<K extends keyof ServerTransportEvents>(event: K, listener: TransportListener<K>): void {
    this.listeners[event].push(listener);
  }

  // -------------------------------------------------------------------------------------------
  // Used by the endpoints

  /** Client frames from a send request, in order. Stops if a frame closes the session. */
  receive(frames: readonly string[]): void {
    for (const raw of frames) {
      if (this.currentState !== 'open') return;
      this.emit('frame', { raw });
    }
  }

  /** Makes `receiver` the session's receive request, replacing any other, and delivers what is queued. */
  attach(receiver: HttpReceiver): void {
    if (this.currentState === 'dead' || this.forgotten) {
      receiver.destroy();
      return;
    }
    const previous = this.receiver;
    this.receiver = receiver;
    if (previous && previous !== receiver) previous.release();
    if (this.currentState === 'open') this.stopTimer();
    receiver.pump();
  }

  /** The receive request ended (answered, aborted or replaced). Starts the collection timer when it was the current one. */
  detach(receiver: HttpReceiver): void {
    if (this.receiver !== receiver) return;
    this.receiver = null;
    if (this.currentState !== 'open') return;
    if (this.options.reattachable) this.startTimer('collect');
    else this.die(lost(HTTP_SESSION_LOST.streamLost));
  }

  /**
   * The client ended the session (its close request): what a WebSocket whose client sent a close frame
   * reports, at once and with the client's code (wasClean true), instead of waiting to be collected.
   * A receive request still attached is cut. On a session the server had already closed, the client
   * has stopped listening for that close: it counts as delivered. The tombstone answers later requests.
   */
  closeByClient(code: number, reason: string): void {
    if (this.currentState === 'closed') this.markCloseDelivered();
    this.die({ code, reason, wasClean: true });
  }

  /** A receiver wrote the close code to the client. */
  markCloseDelivered(): void {
    if (this.currentState !== 'closed' || this.closeDelivered) return;
    this.closeDelivered = true;
    this.options.onCloseDelivered?.(this);
  }

  /**
   * Drops the session without telling anyone: for a session whose open was refused (the core never
   * saw it) and for server shutdown after `close`.
   */
  dispose(): void {
    if (this.currentState === 'open') this.currentState = 'dead';
    const receiver = this.receiver;
    this.receiver = null;
    receiver?.destroy();
    this.forget();
  }

  // -------------------------------------------------------------------------------------------

  private die(close: TransportCloseContext): void {
    if (this.currentState === 'dead') return;
    const wasOpen = this.currentState === 'open';
    this.currentState = 'dead';
    this.queue.clear();
    const receiver = this.receiver;
    this.receiver = null;
    receiver?.destroy();
    this.startTimer('forget');
    if (wasOpen) this.emit('close', close);
  }

  private forget(): void {
    this.stopTimer();
    if (this.forgotten) return;
    this.forgotten = true;
    const receiver = this.receiver;
    this.receiver = null;
    receiver?.destroy();
    this.queue.clear();
    this.options.onForget?.(this);
  }

  /** The session's collection deadline passed (`collection` calls this). */
  expire(): void {
    const expiry = this.expiry;
    this.expiry = null;
    if (expiry === 'collect') this.die(lost(HTTP_SESSION_LOST.expired));
    else if (expiry === 'forget') this.forget();
  }

  /** The end of a turn in which frames were queued: hand them to the receive request, if one is attached. */
  flushTurn(): void {
    this.flushScheduled = false;
    this.receiver?.pump();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.options.turn.add(this);
  }

  /** Sets (or moves) the session's one deadline, `sessionGcMs` from now. */
  private startTimer(expiry: 'collect' | 'forget'): void {
    if (this.forgotten) {
      this.stopTimer();
      return;
    }
    this.expiry = expiry;
    this.options.collection.add(this);
  }

  private stopTimer(): void {
    if (this.expiry === null) return;
    this.expiry = null;
    this.options.collection.remove(this);
  }

  private emit<K extends keyof ServerTransportEvents>(event: K, context: ServerTransportEvents[K]): void {
    for (const listener of [...this.listeners[event]]) listener(context);
  }
}
