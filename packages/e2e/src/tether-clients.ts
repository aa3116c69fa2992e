import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import {
  nodePlatform,
  Tether,
  type ConnectionEventName,
  type ConnectionEvents,
  type KeyValueStorage,
  type TetherOptions,
} from '@tether/client';
import { compatApp } from './compat-server.js';

/**
 * Real @tether/client instances (the Node entry: `ws`, `eventsource`, Node's fetch) for end-to-end
 * tests, with retry pacing shrunk so a reconnect takes milliseconds instead of seconds. Nothing here
 * reaches into the client's internals: tests watch its public events, state and diagnostics.
 */

export const tetherE2eDefaults = {
  /** Retry pacing for tests: a backoff of 50–200 ms instead of 1–4 s. */
  backoffMinMs: 50,
  backoffBaseMs: 50,
  backoffCapMs: 500,
  /** Longer than any retry of the pacing above: a wait that proves no retry happened. */
  quietPeriodMs: 700,
  /** How long a wait for an event may take before the test fails with a readable message. */
  eventTimeoutMs: 5_000,
} as const;

export class TetherClients {
  private readonly created: Tether[] = [];

  /** A client of the compat server's app on 127.0.0.1:`port`, connecting at once unless told otherwise. */
  create(port: number, options: TetherOptions = {}, key: string = compatApp.key): Tether {
    const tether = new Tether(key, {
      host: '127.0.0.1',
      port,
      forceTLS: false,
      backoffMinMs: tetherE2eDefaults.backoffMinMs,
      backoffBaseMs: tetherE2eDefaults.backoffBaseMs,
      backoffCapMs: tetherE2eDefaults.backoffCapMs,
      platform: nodePlatform(),
      ...options,
    });
    this.created.push(tether);
    return tether;
  }

  disconnectAll(): void {
    for (const tether of this.created.splice(0)) tether.disconnect();
  }
}

/** Resolves with the next context a listener receives that passes `predicate`; rejects after the timeout. */
export function nextContext<C>(
  bind: (listener: (context: C) => void) => () => void,
  predicate: (context: C) => boolean = () => true,
  timeoutMs: number = tetherE2eDefaults.eventTimeoutMs,
  what = 'event',
): Promise<C> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => undefined;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    off = bind((context) => {
      if (!predicate(context)) return;
      clearTimeout(timer);
      off();
      resolve(context);
    });
  });
}

/** The next connection event `name` of `tether` (optionally one that passes `predicate`). */
export function nextConnectionEvent<K extends ConnectionEventName>(
  tether: Tether,
  name: K,
  predicate: (context: ConnectionEvents[K]) => boolean = () => true,
  timeoutMs: number = tetherE2eDefaults.eventTimeoutMs,
): Promise<ConnectionEvents[K]> {
  return nextContext(
    (listener) => tether.connection.bind(name, listener),
    predicate,
    timeoutMs,
    `connection "${name}"`,
  );
}

/** Resolves once the connection is connected (at once if it already is); returns its socket id. */
export async function connected(
  tether: Tether,
  timeoutMs: number = tetherE2eDefaults.eventTimeoutMs,
): Promise<string> {
  if (tether.connection.state === 'connected' && tether.connection.socketId !== null)
    return tether.connection.socketId;
  const { socketId } = await nextConnectionEvent(tether, 'connected', () => true, timeoutMs);
  return socketId;
}

/** Every event of `name` the connection emits from now on, in order. */
export function recordConnectionEvents<K extends ConnectionEventName>(
  tether: Tether,
  name: K,
): ConnectionEvents[K][] {
  const seen: ConnectionEvents[K][] = [];
  tether.connection.bind(name, (context) => seen.push(context));
  return seen;
}

/**
 * Every TCP connection an http.Server accepts (WebSocket upgrades included, which the server itself
 * stops tracking), so a test can cut them all without a close frame: what a crash or a network
 * drop looks like to the client.
 */
export function trackSockets(server: Server): { destroyAll(): number } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    destroyAll() {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      return count;
    },
  };
}

/** A storage two clients can share, as two page loads share localStorage. */
export function sharedStorage(): KeyValueStorage & { keys(): string[] } {
  const entries = new Map<string, string>();
  return {
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
    keys: () => [...entries.keys()],
  };
}
