import type { ExpiryQueue, Expiring } from './http-expiry-queue.js';
import { HttpStatus, respondPrepared, type ReceiveResponse } from './http-response.js';
import type { HttpReceiver, HttpSession } from './http-session.js';

/** How a poll transport (Tether long-poll, pusher-js xhr_polling) answers. One constant object per transport. */
export interface PollFraming {
  /**
   * Every header of an answer with a body of `contentLength` bytes, CORS and caching included. The
   * object may be shared by many answers (see `headersByLength`): it is never changed once returned.
   */
  headers(contentLength: number): Readonly<Record<string, string>>;
  /** The body to answer with now, or null to keep holding (nothing to say yet). `cursor`: the poll's. */
  answer(session: HttpSession, cursor: number): string | null;
  /** The body when the hold time passes, or when a newer poll replaces this one. */
  idle(session: HttpSession, cursor: number): string;
}

/**
 * A `PollFraming.headers` that builds the header set for a length once and hands the same object to
 * every answer of that length until another length is asked for: the answers of one fan-out mostly
 * have the same length, so most answers allocate no headers at all.
 */
export function headersByLength(
  build: (contentLength: string) => Readonly<Record<string, string>>,
): (contentLength: number) => Readonly<Record<string, string>> {
  let lastLength = -1;
  let last: Readonly<Record<string, string>> = {};
  return (contentLength) => {
    if (contentLength !== lastLength) {
      last = Object.freeze(build(String(contentLength)));
      lastLength = contentLength;
    }
    return last;
  };
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
  // The hold queue's bookkeeping (see Expiring), declared so that holding never reshapes a receiver.
  expiryQueue: ExpiryQueue | null = null;
  expiryPrev: Expiring | null = null;
  expiryNext: Expiring | null = null;
  expiryAt = 0;

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
    respondPrepared(this.res, HttpStatus.Ok, this.framing.headers(Buffer.byteLength(body)), body);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.holding) this.holds.remove(this);
    this.session.detach(this);
  }
}
