import type { ReceiveResponse } from '../../src/transports/http-response.js';

/** A `ServerResponse` stand-in for unit tests: records what is written and lets a test play the socket. */
export class FakeResponse implements ReceiveResponse {
  status: number | undefined;
  headers: Record<string, string> = {};
  readonly chunks: string[] = [];
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  /** While true, `write` reports a full socket buffer (back-pressure). */
  congested = false;
  private readonly listeners: Record<'close' | 'drain', (() => void)[]> = { close: [], drain: [] };
  private closeEmitted = false;

  writeHead(status: number, headers: Readonly<Record<string, string>>): this {
    this.status = status;
    this.headers = { ...headers };
    this.headersSent = true;
    return this;
  }

  write(chunk: string): boolean {
    if (this.writableEnded || this.destroyed) throw new Error('write after end');
    this.chunks.push(chunk);
    return !this.congested;
  }

  end(chunk?: string): this {
    if (chunk !== undefined) this.chunks.push(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    queueMicrotask(() => this.emitClose());
    return this;
  }

  destroy(): this {
    this.destroyed = true;
    queueMicrotask(() => this.emitClose());
    return this;
  }

  on(event: 'close' | 'drain', listener: () => void): this {
    this.listeners[event].push(listener);
    return this;
  }

  get body(): string {
    return this.chunks.join('');
  }

  /** The client went away (aborted the request). */
  abort(): void {
    this.destroyed = true;
    this.emitClose();
  }

  /** The socket's buffer emptied. */
  drain(): void {
    this.congested = false;
    for (const listener of [...this.listeners.drain]) listener();
  }

  private emitClose(): void {
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    for (const listener of [...this.listeners.close]) listener();
  }
}
