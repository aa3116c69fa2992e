import { CloseCode, decodeLongPollBatch, type LongPollBatch } from '@tether/protocol';
import type { Platform } from '../platform/platform.js';
import type { TransportEndpoints } from './transport-endpoints.js';
import { HttpFrameSender } from './http-sender.js';
import {
  TransportEmitter,
  type ClientTransport,
  type ClientTransportEvents,
  type ClientTransportListener,
} from './transport.js';
import { errorMessage } from '../error-message.js';

const HTTP_NOT_FOUND = 404;

/**
 * Long-poll: a GET that opens the session and returns the first batch, then held GETs that each
 * send the cursor of the batch before; POSTs up. A batch may carry the close.
 */
export class LongPollTransport implements ClientTransport {
  readonly name = 'long-poll' as const;
  readonly #emitter = new TransportEmitter();
  #sender: HttpFrameSender | null = null;
  #session: string | null = null;
  #controller: AbortController | null = null;
  readonly #platform: Pick<Platform, 'fetch' | 'network'>;
  readonly #endpoints: Pick<TransportEndpoints, 'longPollOpen' | 'longPoll' | 'send' | 'close'>;

  constructor(
    platform: Pick<Platform, 'fetch' | 'network'>,
    endpoints: Pick<TransportEndpoints, 'longPollOpen' | 'longPoll' | 'send' | 'close'>,
    readonly attempt: number,
  ) {
    this.#platform = platform;
    this.#endpoints = endpoints;
  }

  on<K extends keyof ClientTransportEvents>(event: K, listener: ClientTransportListener<K>): void {
    this.#emitter.on(event, listener);
  }

  open(): void {
    this.#poll(this.#endpoints.longPollOpen);
  }

  send(frame: string): boolean {
    if (!this.#sender || this.#emitter.stopped) return false;
    this.#sender.send(frame);
    return true;
  }

  /** Ends the transport and, once it has a session, the session on the server (no waiting to be collected). */
  close(code?: number, reason?: string): void {
    if (!this.#emitter.stopped) this.#sender?.close(code, reason);
    this.#emitter.stop();
    this.#teardown();
  }

  #poll(url: string): void {
    if (this.#emitter.stopped) return;
    this.#controller = typeof AbortController === 'function' ? new AbortController() : null;
    const init = this.#controller ? { method: 'GET', signal: this.#controller.signal } : { method: 'GET' };
    const failed = (error: unknown): void => {
      if (this.#emitter.stopped) return;
      const message = errorMessage(error);
      this.#end(CloseCode.AbnormalClosure, `Poll failed: ${message}`, false);
    };
    void this.#platform.fetch(url, init).then(async (response) => {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        failed(error);
        return;
      }
      if (this.#emitter.stopped) return;
      const batch = decodeLongPollBatch(text);
      if (batch.ok) {
        this.#receive(batch.value);
      } else if (response.status === HTTP_NOT_FOUND && this.#session !== null) {
        this.#end(CloseCode.SessionNotFound, 'The server no longer holds this session', true);
      } else {
        this.#end(CloseCode.AbnormalClosure, `Poll answered HTTP ${response.status} without a batch`, false);
      }
    }, failed);
  }

  #receive(batch: LongPollBatch): void {
    const { attempt } = this;
    if (this.#session === null) {
      this.#session = batch.session;
      const urls = { send: this.#endpoints.send(batch.session), close: this.#endpoints.close(batch.session) };
      this.#sender = new HttpFrameSender(this.#platform, urls, (failure) =>
        this.#end(failure.code, failure.reason, failure.wasClean),
      );
      this.#emitter.emit('open', { attempt });
    }
    for (const raw of batch.frames) {
      if (this.#emitter.stopped) return;
      this.#emitter.emit('frame', { attempt, raw });
    }
    if (batch.close) {
      this.#end(batch.close.code, batch.close.reason, true);
      return;
    }
    this.#poll(this.#endpoints.longPoll(this.#session, batch.cursor));
  }

  #end(code: number, reason: string, wasClean: boolean): void {
    this.#teardown();
    this.#emitter.emit('close', { attempt: this.attempt, code, reason, wasClean });
  }

  #teardown(): void {
    this.#sender?.stop();
    this.#controller?.abort();
    this.#controller = null;
  }
}
