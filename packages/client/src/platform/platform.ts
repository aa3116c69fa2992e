/**
 * Everything the client needs from its environment, injected: browser globals by default,
 * `ws` / `eventsource` / Node's fetch in Node, fakes in unit tests. Logic never touches globals.
 */

export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol?: string;
  binaryType?: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: string; lastEventId?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: string, listener: (event: { data: string; lastEventId?: string }) => void): void;
  close(): void;
}
export type EventSourceConstructor = new (url: string) => EventSourceLike;

export type FetchLike = (
  url: string,
  init?: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    /** `no-cors` for the reachability probe: an opaque answer from another origin still proves the server is up. */
    mode?: 'cors' | 'no-cors' | 'same-origin';
    /** For the session close request: the request outlives the page that sent it. */
    keepalive?: boolean;
  },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** localStorage-shaped; Node defaults to an in-memory map. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type TimerHandle = unknown;

export interface ClientClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Network and page signals. Node has none: every method may be a no-op. */
export interface NetworkSignals {
  /** navigator.onLine where it exists; true otherwise. */
  isOnline(): boolean;
  onOnline(listener: () => void): () => void;
  onOffline(listener: () => void): () => void;
  /** The page became visible again (visibilitychange). */
  onVisible(listener: () => void): () => void;
  /** The page is being unloaded or put in the back/forward cache (pagehide). Optional: platforms written before it still work. */
  onPageHide?(listener: () => void): () => void;
}

export interface Platform {
  WebSocket: WebSocketConstructor | undefined;
  EventSource: EventSourceConstructor | undefined;
  fetch: FetchLike;
  storage: KeyValueStorage;
  clock: ClientClock;
  network: NetworkSignals;
  /** In [0, 1): for jitter. */
  random(): number;
  /** True when the page itself is served over https (browsers), which makes TLS the default. */
  pageIsSecure(): boolean;
}
