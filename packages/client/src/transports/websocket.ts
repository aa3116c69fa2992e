import { CloseCode } from '@tether/protocol';
import type { Platform, WebSocketLike } from '../platform/platform.js';
import {
  TransportEmitter,
  type ClientTransport,
  type ClientTransportEvents,
  type ClientTransportListener,
} from './transport.js';
import { errorMessage } from '../error-message.js';

const OPEN = 1;

/** The WebSocket transport: one socket, one text frame per Pusher frame. */
export class WebSocketTransport implements ClientTransport {
  readonly name = 'websocket' as const;
  readonly #emitter = new TransportEmitter();
  #socket: WebSocketLike | null = null;
  readonly #platform: Pick<Platform, 'WebSocket'>;
  readonly #url: string;

  constructor(
    platform: Pick<Platform, 'WebSocket'>,
    url: string,
    readonly attempt: number,
  ) {
    this.#platform = platform;
    this.#url = url;
  }

  on<K extends keyof ClientTransportEvents>(event: K, listener: ClientTransportListener<K>): void {
    this.#emitter.on(event, listener);
  }

  open(): void {
    const { attempt } = this;
    const Ctor = this.#platform.WebSocket;
    if (!Ctor) {
      this.#emitter.emit('close', {
        attempt,
        code: CloseCode.AbnormalClosure,
        reason: 'WebSocket is not available here',
        wasClean: false,
      });
      return;
    }
    let socket: WebSocketLike;
    try {
      socket = new Ctor(this.#url);
    } catch (error) {
      const message = errorMessage(error);
      this.#emitter.emit('error', { attempt, message: `WebSocket could not be created: ${message}` });
      this.#emitter.emit('close', {
        attempt,
        code: CloseCode.AbnormalClosure,
        reason: message,
        wasClean: false,
      });
      return;
    }
    this.#socket = socket;
    socket.onopen = () => this.#emitter.emit('open', { attempt });
    socket.onmessage = (event) => this.#emitter.emit('frame', { attempt, raw: event.data });
    socket.onerror = () => this.#emitter.emit('error', { attempt, message: 'WebSocket error' });
    socket.onclose = (event) => {
      this.#detach();
      this.#emitter.emit('close', {
        attempt,
        code: event.code,
        reason: event.reason,
        wasClean: event.wasClean,
      });
    };
  }

  send(frame: string): boolean {
    if (this.#emitter.stopped || this.#socket?.readyState !== OPEN) return false;
    try {
      this.#socket.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  close(code: number = CloseCode.NormalClosure, reason = ''): void {
    this.#emitter.stop();
    const socket = this.#detach();
    if (!socket) return;
    try {
      socket.close(code, reason);
    } catch {
      // A socket still connecting may throw in some runtimes; it is abandoned either way.
    }
  }

  #detach(): WebSocketLike | null {
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = () => undefined;
    }
    return socket;
  }
}
