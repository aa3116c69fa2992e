import type { ExpiryQueue, Expiring } from './http-expiry-queue.js';
import { HttpStatus, respondPrepared, type ReceiveResponse } from './http-response.js';
import type { HttpReceiver, HttpSession } from './http-session.js';

/** How a poll transport (Tether long-poll, pusher-js xhr_polling) answers. One constant object per transport. */
export interface PollFraming {
  /** Every header of an answer with a body of `contentLength` bytes, CORS and caching included. */
  headers(contentLength: string): Record<string, string>;
  /** The body to answer with now, or null to keep holding (nothing to say yet). `cursor`: the poll's. */
  answer(session: HttpSession, cursor: number): string | null;
  /** The body when the hold time passes, or when a newer poll replaces this one. */
  idle(session: HttpSession, cursor: number): string;
}

/**
 * A receive request held until there is something to send or the hold time passes; answered once.
 * The hold time is its deadline in `holds`, a queue shared by every held poll (no timer per poll).
 * A poll answered as soon as it is attached (frames were waiting) is never held: no deadline, no
 * listener.
 */
export class PollReceiver implements HttpReceiver, Expiring {
  private done = false;
  private holding = false;

  constructor(
    private readonly session: HttpSession,
    private readonly res: ReceiveResponse,
    private readonly framing: PollFraming,
    private readonly holds: ExpiryQueue,
    /** Long-poll: the first frame this poll asks for. Unused by pusher-js polls. */
    private readonly cursor = 0,
  ) {}

  pump(): void {
    if (this.done) return;
    const body = this.framing.answer(this.session, this.cursor);
    if (body === null) {
      this.hold();
      return;
    }
    // Every framing's answer carries the close once the session has one.
    const closes = this.session.closing !== null;
    this.answer(body);
    if (closes) this.session.markCloseDelivered();
  }

  /** The hold time passed. */
  expire(): void {
    this.release();
  }

  release(): void {
    if (this.done) return;
    this.answer(this.framing.idle(this.session, this.cursor));
  }

  destroy(): void {
    if (this.done) return;
    this.finish();
    this.res.destroy();
  }

  /** Nothing to say yet: wait for frames, the hold time, or the client going away. */
  private hold(): void {
    if (this.holding) return;
    this.holding = true;
    this.holds.add(this);
    this.res.on('close', () => this.finish());
  }

  private answer(body: string): void {
    if (this.done) return;
    this.finish();
    // With a length the whole answer (head and body) leaves in one write instead of a chunked writev.
    respondPrepared(this.res, HttpStatus.Ok, this.framing.headers(String(Buffer.byteLength(body))), body);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.holding) this.holds.remove(this);
    this.session.detach(this);
  }
}
