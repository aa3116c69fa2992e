import type { ReceiveResponse } from '../transports/http-response.js';
import type { ForwardMessage } from './forward-messages.js';

/** Sends one message to the requesting node; resolves false when no one is listening there any more. */
export type ForwardReply = (message: ForwardMessage) => Promise<boolean>;

type Listener = () => void;

/**
 * The response of a request forwarded from another node, as the endpoints see it: every write becomes
 * a message to that node, which writes it to the real response. Never back-pressured (the session's
 * bounded queue is the limit); `close` fires when the real client goes away or the requesting node does.
 */
export class RemoteResponse implements ReceiveResponse {
  headersSent = false;
  writableEnded = false;
  private closed = false;
  private readonly listeners: Record<'close' | 'drain', Listener[]> = { close: [], drain: [] };

  constructor(
    private readonly id: string,
    private readonly reply: ForwardReply,
  ) {}

  writeHead(status: number, headers: Record<string, string>): this {
    if (this.headersSent || this.closed) return this;
    this.headersSent = true;
    this.send({ t: 'head', id: this.id, status, headers });
    return this;
  }

  write(chunk: string): boolean {
    if (this.writableEnded || this.closed) return false;
    this.writeHead(200, {});
    this.send({ t: 'data', id: this.id, chunk });
    return true;
  }

  end(chunk?: string): this {
    if (this.writableEnded || this.closed) return this;
    this.writeHead(200, {});
    this.writableEnded = true;
    this.send(chunk === undefined ? { t: 'end', id: this.id } : { t: 'end', id: this.id, chunk });
    this.finish();
    return this;
  }

  destroy(): this {
    if (this.closed) return this;
    if (!this.writableEnded) this.send({ t: 'destroy', id: this.id });
    this.finish();
    return this;
  }

  on(event: 'close' | 'drain', listener: Listener): this {
    this.listeners[event].push(listener);
    return this;
  }

  /** The real client (or its node) went away. */
  abort(): void {
    this.finish();
  }

  private send(message: ForwardMessage): void {
    void this.reply(message).then((delivered) => {
      if (!delivered) this.abort();
    });
  }

  /** `close` after the end, as a Node response emits it, on a later tick. */
  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => {
      for (const listener of this.listeners.close.splice(0)) listener();
    });
  }
}
