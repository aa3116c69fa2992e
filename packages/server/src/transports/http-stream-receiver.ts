import { CORS_HEADERS, HttpStatus, type ReceiveResponse } from './http-response.js';
import type { HttpReceiver, HttpSession } from './http-session.js';
import type { HeartbeatTarget, StreamHeartbeats } from './http-stream-heartbeats.js';

/** How a stream transport (SSE, pusher-js xhr_streaming) writes its body. */
export interface StreamFraming {
  headers: Readonly<Record<string, string>>;
  /**
   * The chunk carrying these frames, in order. Every stream handed the same frames in a turn gets the
   * same string (encoded once per fan-out).
   */
  frames(frames: readonly string[]): string;
  heartbeat(): string;
  close(code: number, reason: string): string;
  heartbeatMs: number;
  /**
   * Characters after which nothing more is written to this response; later frames wait in the queue
   * for the client's next receive request. pusher-js re-opens its stream once it has read more than
   * 256 KiB (spec §7.4.3); Infinity for SSE.
   */
  rotationChars: number;
}

/**
 * A long-lived response that carries frames as they come: everything the session was handed during a
 * turn of the event loop goes out as one write at its end. Honours back-pressure (stops writing while
 * the socket's buffer is full; the session's bounded queue absorbs the rest) and the rotation limit.
 * Its heartbeat comes from the shared `heartbeats` interval, not a timer of its own.
 */
export class StreamReceiver implements HttpReceiver, HeartbeatTarget {
  private written = 0;
  private blocked = false;
  private finished = false;
  private readonly flushes: boolean;

  constructor(
    private readonly session: HttpSession,
    private readonly res: ReceiveResponse,
    private readonly framing: StreamFraming,
    private readonly heartbeats: StreamHeartbeats,
    preamble: string,
  ) {
    this.flushes = typeof res.flush === 'function';
    res.writeHead(HttpStatus.Ok, { ...CORS_HEADERS, ...framing.headers });
    res.on('drain', () => {
      this.blocked = false;
      this.pump();
    });
    res.on('close', () => this.stop());
    heartbeats.add(this, framing.heartbeatMs);
    this.write(preamble);
  }

  /** Characters written to this response so far. */
  get chars(): number {
    return this.written;
  }

  /** True once the rotation limit is passed: this response takes nothing more. */
  get full(): boolean {
    return this.written > this.framing.rotationChars;
  }

  pump(): void {
    if (this.finished || this.blocked || this.full) return;
    const queue = this.session.queue;
    if (queue.length > 0) this.write(this.framing.frames(queue.takeAll()));
    const closing = this.session.closing;
    if (closing && queue.length === 0 && !this.blocked && !this.full) {
      this.write(this.framing.close(closing.code, closing.reason));
      this.session.markCloseDelivered();
      this.finish();
      this.res.end();
    }
  }

  beat(): void {
    if (!this.blocked && !this.full) this.write(this.framing.heartbeat());
  }

  release(): void {
    if (this.finished) return;
    this.finish();
    this.res.end();
  }

  destroy(): void {
    if (this.finished) return;
    this.finish();
    this.res.destroy();
  }

  private write(chunk: string): void {
    if (this.finished || chunk.length === 0) return;
    this.written += chunk.length;
    if (!this.res.write(chunk)) this.blocked = true;
    if (this.flushes) this.res.flush?.();
  }

  private finish(): void {
    this.finished = true;
    this.heartbeats.remove(this, this.framing.heartbeatMs);
    this.session.detach(this);
  }

  private stop(): void {
    if (this.finished) return;
    this.finish();
  }
}
