import type { PusherHttpTransportName, TransportName } from '@tether/protocol';

/**
 * A server transport only moves frames. Heartbeat, auth, channels and presence live in the Session
 * above it; the same Session code serves a WebSocket and every HTTP transport.
 */
export type ServerTransportName = TransportName | PusherHttpTransportName;

export interface TransportCloseContext {
  code: number;
  reason: string;
  /** False when the peer vanished (TCP reset, HTTP session collected) rather than closing. */
  wasClean: boolean;
}

export interface TransportFrameContext {
  /** One encoded client frame, as received; the Session decodes it. */
  raw: string | ArrayBuffer | Uint8Array;
}

export interface ServerTransportEvents {
  frame: TransportFrameContext;
  close: TransportCloseContext;
}

export type TransportListener<K extends keyof ServerTransportEvents> = (
  context: ServerTransportEvents[K],
) => void;

/**
 * One object that takes a transport's events through its own methods: the Session. A transport that
 * supports it (`setReceiver`) needs no listener array or closure per connection.
 */
export interface TransportReceiver {
  /** One encoded client frame, as received (the `frame` event's `raw`). */
  transportFrame(raw: TransportFrameContext['raw']): void;
  /** The transport closed (the `close` event); called once. */
  transportClosed(context: TransportCloseContext): void;
  /** A protocol-level pong arrived (transports with `ping` only). */
  transportPong(): void;
}

export interface ServerTransport {
  readonly name: ServerTransportName;
  /** Remote address for logs and rate limits, when known. */
  readonly remoteAddress: string | undefined;
  /**
   * Sends one encoded server frame. The string is shared between recipients: never mutate or re-encode.
   * A transport whose outbound queue overflows closes itself with 4110 (SlowConsumer).
   */
  send(frame: string): void;
  /** Sends the close code (a `pusher:error` first is the Session's job), then ends the transport. Idempotent. */
  close(code: number, reason: string): void;
  /** Ends the transport without a close frame (dead peer). Emits `close` with wasClean false. */
  terminate(): void;
  /**
   * WebSocket only: a protocol-level ping; `onPong` (if given) runs when the answer arrives, and so does
   * the receiver's `transportPong` (`setReceiver`). Absent for HTTP transports.
   */
  ping?(onPong?: () => void): void;
  on<K extends keyof ServerTransportEvents>(event: K, listener: TransportListener<K>): void;
  /**
   * Optional: delivers `frame`, `close` and pongs to one receiver's methods, in place of `on()`
   * listeners (what the Session uses when present). At most one receiver; `on()` listeners still run.
   */
  setReceiver?(receiver: TransportReceiver): void;
}

/** What a transport endpoint needs from the core server to start a session. */
export interface SessionOpenRequest {
  /** App key from the URL. */
  key: string;
  /** The connect query (protocol, client, version, and any extension). */
  query: URLSearchParams;
  transport: ServerTransport;
}

export type SessionOpenResult =
  { ok: true; socketId: string } | { ok: false; closeCode: number; reason: string };

export interface SessionHost {
  /**
   * Checks the app key, protocol version, app state and connection quota. On success starts a Session
   * on the transport and sends `pusher:connection_established` as its first frame. On failure sends
   * nothing; the caller sends `pusher:error` plus the close code its own way.
   */
  openSession(request: SessionOpenRequest): SessionOpenResult;
}
