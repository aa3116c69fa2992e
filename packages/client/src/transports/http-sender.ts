import {
  CloseCode,
  encodeSendBody,
  encodeSessionCloseBody,
  isClientCloseCode,
  sessionCloseLimits,
} from '@tether/protocol';
import type { FetchLike, Platform } from '../platform/platform.js';
import { errorMessage } from '../error-message.js';

const HTTP_NOT_FOUND = 404;
/** A UTF-16 unit is at most 3 UTF-8 bytes: a reason clipped to this many fits the server's limit. */
const MAX_REASON_UNITS = Math.floor(sessionCloseLimits.maxReasonBytes / 3);
// text/plain keeps the requests "simple": no CORS preflight in browsers.
const TEXT_PLAIN = { 'Content-Type': 'text/plain;charset=UTF-8' } as const;
export const PAGE_HIDDEN_REASON = 'Page hidden' as const;

/** Where one HTTP session's client frames go, and where it is ended. */
export interface HttpSessionUrls {
  send: string;
  close: string;
}

export type HttpSendFailure = { code: number; reason: string; wasClean: boolean };

/**
 * The upstream half of the HTTP transports: frames are queued and POSTed in order, one request at
 * a time, everything queued meanwhile going in the next body (`encodeSendBody`). A 404 means the
 * server no longer holds the session (4210); a failed request means the connection dropped (1006).
 * `close` (ours, or the page going away) tells the server at once, instead of leaving the session to
 * be collected, so others see a presence member leave without waiting.
 */
export class HttpFrameSender {
  #queue: string[] = [];
  #inFlight = false;
  #stopped = false;
  #controller: AbortController | null = null;
  readonly #fetch: FetchLike;
  readonly #urls: HttpSessionUrls;
  readonly #onFailure: (failure: HttpSendFailure) => void;
  readonly #offPageHide: (() => void) | undefined;

  constructor(
    platform: Pick<Platform, 'fetch' | 'network'>,
    urls: HttpSessionUrls,
    onFailure: (failure: HttpSendFailure) => void,
  ) {
    this.#fetch = platform.fetch;
    this.#urls = urls;
    this.#onFailure = onFailure;
    this.#offPageHide = platform.network.onPageHide?.(() =>
      this.close(CloseCode.GoingAway, PAGE_HIDDEN_REASON),
    );
  }

  send(frame: string): void {
    if (this.#stopped) return;
    this.#queue.push(frame);
    this.#flush();
  }

  /** Stops, and ends the session on the server: fire and forget, `keepalive` so it outlives the page. */
  close(code: number = CloseCode.NormalClosure, reason = ''): void {
    if (this.#stopped) return;
    this.stop();
    const body = encodeSessionCloseBody({
      code: isClientCloseCode(code) ? code : CloseCode.NormalClosure,
      reason: reason.slice(0, MAX_REASON_UNITS),
    });
    void this.#fetch(this.#urls.close, { method: 'POST', headers: TEXT_PLAIN, body, keepalive: true }).then(
      undefined,
      () => undefined,
    );
  }

  /** Stops quietly: the session already ended. */
  stop(): void {
    this.#offPageHide?.();
    this.#stopped = true;
    this.#queue = [];
    this.#controller?.abort();
    this.#controller = null;
  }

  #flush(): void {
    if (this.#inFlight || this.#stopped || this.#queue.length === 0) return;
    const frames = this.#queue;
    this.#queue = [];
    this.#inFlight = true;
    this.#controller = typeof AbortController === 'function' ? new AbortController() : null;
    const init = {
      method: 'POST',
      headers: TEXT_PLAIN,
      body: encodeSendBody(frames),
      ...(this.#controller ? { signal: this.#controller.signal } : {}),
    };
    void this.#fetch(this.#urls.send, init).then(
      (response) => {
        this.#inFlight = false;
        if (this.#stopped) return;
        if (response.status === HTTP_NOT_FOUND) {
          this.#fail({
            code: CloseCode.SessionNotFound,
            reason: 'The server no longer holds this session',
            wasClean: true,
          });
        } else if (!response.ok) {
          this.#fail({
            code: CloseCode.AbnormalClosure,
            reason: `Sending failed with HTTP ${response.status}`,
            wasClean: false,
          });
        } else {
          this.#flush();
        }
      },
      (error: unknown) => {
        this.#inFlight = false;
        if (this.#stopped) return;
        const message = errorMessage(error);
        this.#fail({
          code: CloseCode.AbnormalClosure,
          reason: `Sending failed: ${message}`,
          wasClean: false,
        });
      },
    );
  }

  #fail(failure: HttpSendFailure): void {
    this.stop();
    this.#onFailure(failure);
  }
}
