import { CloseCode, readSseMessage, SseEvent, type SseSignal } from '@tether/protocol';
import type { EventSourceLike, Platform } from '../platform/platform.js';
import type { TransportEndpoints } from './transport-endpoints.js';
import { HttpFrameSender } from './http-sender.js';
import {
  TransportEmitter,
  type ClientTransport,
  type ClientTransportEvents,
  type ClientTransportListener,
} from './transport.js';
import { errorMessage } from '../error-message.js';

/**
 * SSE: an EventSource down (a `session` event first, then one `message` per frame, a `close` event
 * last) and POSTs up. EventSource's own reconnecting is never used: any error ends the transport.
 */
export class SseTransport implements ClientTransport {
  readonly name = 'sse' as const;
  readonly #emitter = new TransportEmitter();
  #source: EventSourceLike | null = null;
  #sender: HttpFrameSender | null = null;
  readonly #platform: Pick<Platform, 'EventSource' | 'fetch' | 'network'>;
  readonly #endpoints: Pick<TransportEndpoints, 'sseOpen' | 'send' | 'close'>;

  constructor(
    platform: Pick<Platform, 'EventSource' | 'fetch' | 'network'>,
    endpoints: Pick<TransportEndpoints, 'sseOpen' | 'send' | 'close'>,
    readonly attempt: number,
  ) {
    this.#platform = platform;
    this.#endpoints = endpoints;
  }

  on<K extends keyof ClientTransportEvents>(event: K, listener: ClientTransportListener<K>): void {
    this.#emitter.on(event, listener);
  }

  open(): void {
    const Ctor = this.#platform.EventSource;
    if (!Ctor) {
      this.#end(CloseCode.AbnormalClosure, 'EventSource is not available here', false);
      return;
    }
    let source: EventSourceLike;
    try {
      source = new Ctor(this.#endpoints.sseOpen);
    } catch (error) {
      this.#end(CloseCode.AbnormalClosure, errorMessage(error), false);
      return;
    }
    this.#source = source;
    const handle = (event: string) => (message: { data: string; lastEventId?: string }) => {
      const read = readSseMessage({ event, data: message.data });
      if (read.ok) this.#signal(read.value);
      else this.#emitter.emit('error', { attempt: this.attempt, message: read.error.message });
    };
    source.addEventListener(SseEvent.Session, handle(SseEvent.Session));
    source.addEventListener(SseEvent.Close, handle(SseEvent.Close));
    source.onmessage = handle(SseEvent.Message);
    source.onerror = () => {
      this.#end(
        CloseCode.AbnormalClosure,
        this.#sender ? 'The event stream dropped' : 'The event stream could not be opened',
        false,
      );
    };
  }

  send(frame: string): boolean {
    if (!this.#sender || this.#emitter.stopped) return false;
    this.#sender.send(frame);
    return true;
  }

  /** Ends the transport and, once it has a session, the session on the server (at once, with our code). */
  close(code?: number, reason?: string): void {
    if (!this.#emitter.stopped) this.#sender?.close(code, reason);
    this.#emitter.stop();
    this.#teardown();
  }

  #signal(signal: SseSignal): void {
    const { attempt } = this;
    switch (signal.type) {
      case 'session':
        if (this.#sender) return;
        this.#sender = new HttpFrameSender(
          this.#platform,
          { send: this.#endpoints.send(signal.session), close: this.#endpoints.close(signal.session) },
          (failure) => this.#end(failure.code, failure.reason, failure.wasClean),
        );
        this.#emitter.emit('open', { attempt });
        return;
      case 'frame':
        this.#emitter.emit('frame', { attempt, raw: signal.frame });
        return;
      case 'close':
        this.#end(signal.code, signal.reason, true);
        return;
    }
  }

  #end(code: number, reason: string, wasClean: boolean): void {
    this.#teardown();
    this.#emitter.emit('close', { attempt: this.attempt, code, reason, wasClean });
  }

  #teardown(): void {
    this.#sender?.stop();
    const source = this.#source;
    this.#source = null;
    if (source) {
      source.onmessage = null;
      source.onerror = null;
      source.onopen = null;
      source.close();
    }
  }
}
