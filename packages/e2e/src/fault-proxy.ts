import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { RequestHeadReader } from './request-head.js';

/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of a target port that breaks connections the way real
 * networks do, switchable at runtime. It reads only the head of the first request on each connection
 * to tell WebSocket upgrades from plain HTTP; everything else is copied byte for byte.
 *
 * Modes:
 * - `pass`: everything goes through.
 * - `block-websocket`: plain HTTP passes; a request with `Upgrade: websocket` is answered
 *   `403 Forbidden` and the connection closed (what corporate proxies and some CDNs do), or with
 *   `response: 'reset'` the connection is reset without an answer (what some firewalls do).
 *   Either way a client's WebSocket fails before it opens (1006).
 * - `drop-websocket-after`: upgrades pass, and `afterMs` after the upgrade request was forwarded both
 *   TCP connections are destroyed without a close frame: the client sees 1006.
 * - `drop-idle`: any connection with no bytes in either direction for `idleMs` is destroyed, like
 *   nginx's `proxy_read_timeout` cutting a quiet WebSocket or a held long-poll.
 * - `refuse-all`: every new connection is accepted and reset at once (the server is unreachable);
 *   switching to it also cuts every connection already open.
 *
 * Only the first request of a connection is inspected: WebSocket clients open a fresh connection for
 * the upgrade, so a keep-alive connection that started as plain HTTP stays plain HTTP.
 */

export type FaultMode =
  | 'pass'
  | 'block-websocket'
  | 'refuse-all'
  | { kind: 'pass' }
  | { kind: 'block-websocket'; response?: 'forbidden' | 'reset' }
  | { kind: 'drop-websocket-after'; afterMs: number }
  | { kind: 'drop-idle'; idleMs: number }
  | { kind: 'refuse-all' };

type NormalizedMode = Exclude<FaultMode, string>;

export interface FaultProxyOptions {
  target: { host: string; port: number };
  /** Default `pass`. */
  mode?: FaultMode;
}

export interface FaultProxyStats {
  /** Client connections open through the proxy right now. */
  open: number;
  /** TCP connections accepted since the start. */
  accepted: number;
  /** Connections reset at once by `refuse-all`, and open ones cut when switching to it. */
  refused: number;
  /** Connections whose first request was plain HTTP (passed through). */
  http: number;
  upgrades: {
    /** Requests with `Upgrade: websocket`, whatever happened to them. */
    seen: number;
    /** Answered 403 or reset by `block-websocket`. */
    blocked: number;
    /** Passed, then destroyed by `drop-websocket-after`. */
    dropped: number;
  };
  /** Connections destroyed by `drop-idle`. */
  idleDropped: number;
}

export interface FaultProxy {
  readonly port: number;
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  /** `ws://127.0.0.1:{port}` */
  readonly wsUrl: string;
  /** Switches the mode; new connections follow it at once, open ones as each mode's text says. */
  setMode(mode: FaultMode): void;
  mode(): NormalizedMode;
  /** A snapshot of the counters. */
  connections(): FaultProxyStats;
  /** Destroys every open connection without a close frame (a network blip); new ones still follow the mode. */
  dropAll(): void;
  /** Stops listening and destroys every socket; resolves once the listener is closed. */
  close(): Promise<void>;
}

const FORBIDDEN_BODY = 'WebSocket upgrades are blocked by the fault proxy\n';
const FORBIDDEN_RESPONSE = [
  'HTTP/1.1 403 Forbidden',
  'Content-Type: text/plain; charset=utf-8',
  `Content-Length: ${Buffer.byteLength(FORBIDDEN_BODY)}`,
  'Connection: close',
  '',
  FORBIDDEN_BODY,
].join('\r\n');

const LOOPBACK = '127.0.0.1';

interface Connection {
  client: Socket;
  upstream: Socket | undefined;
  kind: 'pending' | 'http' | 'websocket';
  idleTimer: NodeJS.Timeout | undefined;
  dropTimer: NodeJS.Timeout | undefined;
  finished: boolean;
}

const normalize = (mode: FaultMode): NormalizedMode => (typeof mode === 'string' ? { kind: mode } : mode);

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let mode = normalize(options.mode ?? 'pass');
  const open = new Set<Connection>();
  const stats: FaultProxyStats = {
    open: 0,
    accepted: 0,
    refused: 0,
    http: 0,
    upgrades: { seen: 0, blocked: 0, dropped: 0 },
    idleDropped: 0,
  };

  const finish = (conn: Connection): void => {
    if (conn.finished) return;
    conn.finished = true;
    clearTimeout(conn.idleTimer);
    clearTimeout(conn.dropTimer);
    conn.client.destroy();
    conn.upstream?.destroy();
    open.delete(conn);
  };

  const armIdle = (conn: Connection): void => {
    clearTimeout(conn.idleTimer);
    conn.idleTimer = undefined;
    if (mode.kind !== 'drop-idle' || conn.finished) return;
    conn.idleTimer = setTimeout(() => {
      stats.idleDropped += 1;
      finish(conn);
    }, mode.idleMs);
  };

  const touch = (conn: Connection): void => {
    conn.idleTimer?.refresh();
  };

  const forward = (conn: Connection, head: Buffer): void => {
    const { client } = conn;
    const upstream = connect(options.target.port, options.target.host);
    conn.upstream = upstream;
    upstream.on('error', () => finish(conn));
    upstream.on('close', () => finish(conn));
    upstream.on('connect', () => {
      if (conn.finished) return;
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('data', () => touch(conn));
      upstream.on('data', () => touch(conn));
      if (conn.kind === 'websocket' && mode.kind === 'drop-websocket-after') {
        conn.dropTimer = setTimeout(() => {
          stats.upgrades.dropped += 1;
          finish(conn);
        }, mode.afterMs);
      }
    });
  };

  const route = (conn: Connection, upgrade: boolean, head: Buffer): void => {
    if (!upgrade) {
      stats.http += 1;
      conn.kind = 'http';
      forward(conn, head);
      return;
    }
    stats.upgrades.seen += 1;
    if (mode.kind === 'block-websocket') {
      stats.upgrades.blocked += 1;
      if (mode.response === 'reset') {
        conn.client.resetAndDestroy();
        finish(conn);
      } else {
        conn.client.end(FORBIDDEN_RESPONSE);
      }
      return;
    }
    conn.kind = 'websocket';
    forward(conn, head);
  };

  const server = createServer((client) => {
    stats.accepted += 1;
    client.on('error', () => undefined);
    if (mode.kind === 'refuse-all') {
      stats.refused += 1;
      client.resetAndDestroy();
      return;
    }
    const conn: Connection = {
      client,
      upstream: undefined,
      kind: 'pending',
      idleTimer: undefined,
      dropTimer: undefined,
      finished: false,
    };
    open.add(conn);
    client.on('close', () => finish(conn));
    armIdle(conn);
    const reader = new RequestHeadReader();
    const onData = (chunk: Buffer): void => {
      touch(conn);
      const head = reader.push(chunk);
      if (head === null) return;
      client.off('data', onData);
      client.pause();
      route(conn, head.upgrade, head.bytes);
    };
    client.on('data', onData);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const dropAll = (): void => {
    for (const conn of [...open]) finish(conn);
  };

  return {
    port,
    url: `http://${LOOPBACK}:${port}`,
    wsUrl: `ws://${LOOPBACK}:${port}`,
    setMode(next) {
      mode = normalize(next);
      if (mode.kind === 'refuse-all') {
        stats.refused += open.size;
        dropAll();
      }
      for (const conn of open) armIdle(conn);
    },
    mode: () => mode,
    connections: () => ({ ...stats, open: open.size, upgrades: { ...stats.upgrades } }),
    dropAll,
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      dropAll();
      return closed;
    },
  };
}
