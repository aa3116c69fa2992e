import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

/**
 * A WebSocket proxy on 127.0.0.1 (port 0) that relays whole frames between each client and the same
 * path on a target server, and can drop chosen frames in either direction: a server that "forgets" its
 * `pusher:pong`, or a client whose ping never arrives. Close codes are relayed both ways; a close the
 * other side may not send (1005, 1006) becomes a TCP teardown. Every frame that passes or is dropped is
 * timestamped, so tests can await them instead of sleeping.
 */

export type FrameDirection = 'to-server' | 'to-client';

export interface ProxiedFrame {
  direction: FrameDirection;
  /** The Pusher event name when the frame is JSON with an `event` string, else `undefined`. */
  event: string | undefined;
  text: string;
  at: number;
  dropped: boolean;
}

/** Decides whether a frame is withheld. */
export type FrameFilter = (frame: Omit<ProxiedFrame, 'dropped' | 'at'>) => boolean;

export interface FrameProxy {
  readonly port: number;
  /** Time of every upgrade request the proxy accepted, in order. */
  readonly upgrades: number[];
  /** Every frame seen, in order. */
  readonly frames: ProxiedFrame[];
  /** Replaces the drop rule (default: drop nothing). */
  setFilter(filter: FrameFilter | undefined): void;
  /** Resolves with the next frame (seen from now on) that matches; rejects after `timeoutMs`. */
  nextFrame(predicate: (frame: ProxiedFrame) => boolean, timeoutMs?: number): Promise<ProxiedFrame>;
  /** Resolves at the next upgrade request the proxy accepts; rejects after `timeoutMs`. */
  nextUpgrade(timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const DEFAULT_TIMEOUT_MS = 5000;
/** Close codes a peer may put in a close frame (RFC 6455 §7.4.1: 1005 and 1006 are reserved). */
const SENDABLE_CLOSE = (code: number): boolean =>
  code === 1000 ||
  (code >= 1001 && code <= 1014 && code !== 1005 && code !== 1006) ||
  (code >= 3000 && code <= 4999);

function eventOf(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'event' in parsed &&
      typeof parsed.event === 'string'
    )
      return parsed.event;
  } catch {
    // Not JSON: no event name.
  }
  return undefined;
}

const textOf = (data: RawData): string =>
  Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString('utf8');

export async function startFrameProxy(target: { host: string; port: number }): Promise<FrameProxy> {
  let filter: FrameFilter | undefined;
  const upgrades: number[] = [];
  const frames: ProxiedFrame[] = [];
  const frameWaiters = new Set<(frame: ProxiedFrame) => void>();
  const upgradeWaiters = new Set<(at: number) => void>();
  const sockets = new Set<WebSocket>();

  const http: Server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server: http });

  const record = (frame: ProxiedFrame): void => {
    frames.push(frame);
    for (const waiter of [...frameWaiters]) waiter(frame);
  };

  wss.on('connection', (client, req) => {
    const at = Date.now();
    upgrades.push(at);
    for (const waiter of [...upgradeWaiters]) waiter(at);
    const upstream = new WebSocket(`ws://${target.host}:${target.port}${req.url ?? '/'}`);
    sockets.add(client);
    sockets.add(upstream);
    const pending: string[] = [];

    const relay = (direction: FrameDirection, data: RawData, to: WebSocket): void => {
      const text = textOf(data);
      const event = eventOf(text);
      const dropped = filter?.({ direction, event, text }) ?? false;
      record({ direction, event, text, at: Date.now(), dropped });
      if (dropped) return;
      if (to === upstream && upstream.readyState === WebSocket.CONNECTING) pending.push(text);
      else if (to.readyState === WebSocket.OPEN) to.send(text);
    };
    const closeOther = (other: WebSocket, code: number, reason: Buffer): void => {
      if (other.readyState === WebSocket.CLOSED || other.readyState === WebSocket.CLOSING) return;
      if (SENDABLE_CLOSE(code) && other.readyState === WebSocket.OPEN)
        other.close(code, reason.toString('utf8'));
      else other.terminate();
    };

    client.on('message', (data) => relay('to-server', data, upstream));
    upstream.on('message', (data) => relay('to-client', data, client));
    upstream.on('open', () => {
      for (const text of pending.splice(0)) upstream.send(text);
    });
    upstream.on('close', (code, reason) => closeOther(client, code, reason));
    client.on('close', (code, reason) => closeOther(upstream, code, reason));
    upstream.on('error', () => client.terminate());
    client.on('error', () => upstream.terminate());
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });

  await new Promise<void>((resolve) => http.listen(0, LOOPBACK, resolve));
  const port = (http.address() as AddressInfo).port;

  return {
    port,
    upgrades,
    frames,
    setFilter(next) {
      filter = next;
    },
    nextFrame(predicate, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          frameWaiters.delete(waiter);
          reject(new Error(`no matching proxied frame within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (frame: ProxiedFrame): void => {
          if (!predicate(frame)) return;
          clearTimeout(timer);
          frameWaiters.delete(waiter);
          resolve(frame);
        };
        frameWaiters.add(waiter);
      });
    },
    nextUpgrade(timeoutMs = DEFAULT_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          upgradeWaiters.delete(waiter);
          reject(new Error(`no upgrade within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (at: number): void => {
          clearTimeout(timer);
          upgradeWaiters.delete(waiter);
          resolve(at);
        };
        upgradeWaiters.add(waiter);
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
