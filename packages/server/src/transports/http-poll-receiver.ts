import type { Clock, Timer } from '../clock.js';
import { HttpStatus, respond, type ReceiveResponse } from './http-response.js';
import type { HttpReceiver, HttpSession } from './http-session.js';

/** How a poll transport (Tether long-poll, pusher-js xhr_polling) answers. */
export interface PollFraming {
  headers: Readonly<Record<string, string>>;
  /** The body to answer with now, or null to keep holding (nothing to say yet). */
  answer(session: HttpSession): string | null;
  /** The body when the hold time passes, or when a newer poll replaces this one. */
  idle(session: HttpSession): string;
  holdMs: number;
}

/** A receive request held until there is something to send or the hold time passes; answered once. */
export class PollReceiver implements HttpReceiver {
  private done = false;
  private readonly timer: Timer;

  constructor(
    private readonly session: HttpSession,
    private readonly res: ReceiveResponse,
    private readonly framing: PollFraming,
    private readonly clock: Clock,
  ) {
    this.timer = clock.setTimeout(() => this.answer(this.framing.idle(this.session)), framing.holdMs);
    res.on('close', () => this.finish());
  }

  pump(): void {
    if (this.done) return;
    const body = this.framing.answer(this.session);
    if (body === null) return;
    // Every framing's answer carries the close once the session has one.
    const closes = this.session.closing !== null;
    this.answer(body);
    if (closes) this.session.markCloseDelivered();
  }

  release(): void {
    if (this.done) return;
    this.answer(this.framing.idle(this.session));
  }

  destroy(): void {
    if (this.done) return;
    this.finish();
    this.res.destroy();
  }

  private answer(body: string): void {
    if (this.done) return;
    this.finish();
    respond(this.res, HttpStatus.Ok, { ...this.framing.headers }, body);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.clock.clearTimeout(this.timer);
    this.session.detach(this);
  }
}
