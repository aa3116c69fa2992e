import Pusher from 'pusher-js';
import type { Options } from 'pusher-js';

type Channel = ReturnType<Pusher['subscribe']>;

/** pusher-js's transports that Tether serves: WebSocket and its own two HTTP fallbacks (spec §7). */
export const PUSHER_JS_TRANSPORTS = ['ws', 'xhr_streaming', 'xhr_polling'] as const;
export type PusherJsTransport = (typeof PUSHER_JS_TRANSPORTS)[number];

/** What the server reports as the transport of a connection pusher-js made with `transport`. */
export const SERVER_TRANSPORT_NAME = {
  ws: 'websocket',
  xhr_streaming: 'xhr_streaming',
  xhr_polling: 'xhr_polling',
} as const satisfies Record<PusherJsTransport, string>;

/**
 * The pusher-js options an app sets to reach Tether with only `transport` enabled, or with pusher-js's
 * default transports (`'default'`: WebSocket first, its HTTP fallbacks after a delay).
 */
export function transportOptions(transport: PusherJsTransport | 'default', port: number): Partial<Options> {
  return {
    wsHost: '127.0.0.1',
    wsPort: port,
    httpHost: '127.0.0.1',
    httpPort: port,
    httpPath: '/pusher',
    forceTLS: false,
    ...(transport === 'default' ? {} : { enabledTransports: [transport] }),
  };
}
type EventCallback = (data: unknown, metadata?: { user_id?: string }) => void;

export interface ClientSetup {
  port: number;
  authEndpoint?: string;
  userAuthEndpoint?: string;
  /** Extra form fields pusher-js posts to the auth endpoints (see startCompatServer). */
  params?: Record<string, string>;
  /** Only this transport enabled (default `ws`), or `'default'` for pusher-js's own choice; pointed at `port`. */
  transport?: PusherJsTransport | 'default';
  options?: Partial<Options>;
  key?: string;
}

/** Builds stock pusher-js clients the way an app does, and disconnects every one of them in afterEach. */
export class PusherJsClients {
  private readonly clients: Pusher[] = [];

  create(setup: ClientSetup): Pusher {
    const params = setup.params ?? {};
    const options: Options = {
      cluster: 'x',
      ...transportOptions(setup.transport ?? 'ws', setup.port),
      channelAuthorization: {
        endpoint: setup.authEndpoint ?? `http://127.0.0.1:${setup.port}/pusher/auth`,
        transport: 'ajax',
        params,
      },
      userAuthentication: {
        endpoint: setup.userAuthEndpoint ?? `http://127.0.0.1:${setup.port}/pusher/user-auth`,
        transport: 'ajax',
        params,
      },
      ...setup.options,
    };
    const client = new Pusher(setup.key ?? 'app-key', options);
    this.clients.push(client);
    return client;
  }

  disconnectAll(): void {
    for (const client of this.clients.splice(0)) client.disconnect();
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

/** Resolves when the client's connection reaches `state` (at once if it is already there). */
export function waitForState(client: Pusher, state: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  if (client.connection.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.connection.unbind('state_change', onChange);
      reject(new Error(`state ${state} not reached within ${timeoutMs} ms (now ${client.connection.state})`));
    }, timeoutMs);
    const onChange = (change: { current: string }): void => {
      if (change.current !== state) return;
      clearTimeout(timer);
      client.connection.unbind('state_change', onChange);
      resolve();
    };
    client.connection.bind('state_change', onChange);
  });
}

/** Resolves with the next `event` on a channel (or on the connection when `target` is the client's connection). */
export function nextEvent<T = unknown>(
  target: Channel | Pusher['connection'] | Pusher['user'],
  event: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<{ data: T; metadata?: { user_id?: string } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.unbind(event, callback);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const callback: EventCallback = (data, metadata) => {
      clearTimeout(timer);
      target.unbind(event, callback);
      resolve(metadata === undefined ? { data: data as T } : { data: data as T, metadata });
    };
    target.bind(event, callback);
  });
}

/** Resolves with the next raw protocol message the connection manager reports that matches. */
export function nextMessage(
  client: Pusher,
  predicate: (message: { event: string; channel?: string; data?: unknown }) => boolean,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<{ event: string; channel?: string; data?: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.connection.unbind('message', callback);
      reject(new Error(`no matching message within ${timeoutMs} ms`));
    }, timeoutMs);
    const callback = (message: { event: string; channel?: string; data?: unknown }): void => {
      if (!predicate(message)) return;
      clearTimeout(timer);
      client.connection.unbind('message', callback);
      resolve(message);
    };
    client.connection.bind('message', callback);
  });
}

/** Records every connection state a client passes through, with timestamps. */
export function recordStates(client: Pusher): { state: string; at: number }[] {
  const states: { state: string; at: number }[] = [];
  client.connection.bind('state_change', (change: { current: string }) =>
    states.push({ state: change.current, at: Date.now() }),
  );
  return states;
}

/** Every payload of `event` on a channel (or the connection) from now on, in arrival order. */
export function recordEvents<T = unknown>(
  target: Channel | Pusher['connection'] | Pusher['user'],
  event: string,
): T[] {
  const seen: T[] = [];
  target.bind(event, (data: T) => seen.push(data));
  return seen;
}
