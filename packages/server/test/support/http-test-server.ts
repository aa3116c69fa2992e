import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  createHttpFallbacks,
  type HttpFallbacks,
  type HttpFallbacksOptions,
} from '../../src/transports/http-fallbacks.js';
import { HttpTestHost } from './http-test-host.js';

export interface HttpTestServer {
  host: HttpTestHost;
  fallbacks: HttpFallbacks;
  port: number;
  /** `http://127.0.0.1:{port}` */
  origin: string;
  /** Resolves once `count` requests have been handled (or are held) by the router. */
  untilRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Express + the fallback router + the test host, on 127.0.0.1 port 0. */
export async function startHttpTestServer(
  options: Omit<HttpFallbacksOptions, 'host'> = {},
): Promise<HttpTestServer> {
  const host = new HttpTestHost();
  const fallbacks = createHttpFallbacks({ ...options, host });
  const app = express();
  let requests = 0;
  const waiters: (() => void)[] = [];
  app.use((req, res, next) => {
    next();
    requests += 1;
    for (const check of waiters.splice(0)) check();
  });
  app.use(fallbacks.router);
  const untilRequests = (count: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${requests} requests arrived`)), 5_000);
      const check = (): void => {
        if (requests >= count) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host,
    fallbacks,
    port,
    origin: `http://127.0.0.1:${port}`,
    untilRequests,
    close: async () => {
      fallbacks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads a streaming fetch body as text, and waits for what a test expects to appear in it. */
export class TextStreamReader {
  text = '';
  done = false;
  private readonly waiters: (() => void)[] = [];
  private readonly finished: Promise<void>;

  constructor(private readonly response: Response) {
    this.finished = this.pump();
  }

  private async pump(): Promise<void> {
    const body = this.response.body;
    if (!body) return;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.text += decoder.decode(value, { stream: true });
        this.notify();
      }
    } catch {
      // aborted by the test or cut by the server: both end the stream
    }
    this.done = true;
    this.notify();
  }

  /** Resolves once `predicate(text)` holds; rejects when the stream ends first or after `timeoutMs`. */
  until(predicate: (text: string) => boolean, timeoutMs = 5_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting; got ${JSON.stringify(this.text.slice(-300))}`)),
        timeoutMs,
      );
      const check = (): void => {
        if (predicate(this.text)) {
          clearTimeout(timer);
          resolve(this.text);
        } else if (this.done) {
          clearTimeout(timer);
          reject(new Error(`stream ended; got ${JSON.stringify(this.text.slice(-300))}`));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Resolves when the server ends the stream. */
  ended(): Promise<void> {
    return this.finished;
  }

  private notify(): void {
    for (const check of this.waiters.splice(0)) check();
  }
}
