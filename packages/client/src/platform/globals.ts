import { MemoryStorage } from './memory-storage.js';
import type {
  EventSourceConstructor,
  FetchLike,
  KeyValueStorage,
  NetworkSignals,
  Platform,
  WebSocketConstructor,
} from './platform.js';
import { timerClock } from './platform-clock.js';

/** The parts of a browser (or worker, or Deno) global scope the client may use; every one may be absent. */
export interface GlobalScope {
  WebSocket?: unknown;
  EventSource?: unknown;
  fetch?: unknown;
  localStorage?: unknown;
  navigator?: { onLine?: boolean };
  location?: { protocol?: string };
  document?: { visibilityState?: string; addEventListener?: unknown; removeEventListener?: unknown };
  addEventListener?: unknown;
  removeEventListener?: unknown;
  setTimeout?: unknown;
  clearTimeout?: unknown;
}

type AddListener = (type: string, listener: () => void) => void;

const LOCAL_STORAGE_PROBE = 'tether:probe';

/** localStorage when it exists and works (it throws in some private modes, or when quota is 0). */
function usableStorage(candidate: unknown): KeyValueStorage {
  try {
    const storage = candidate as KeyValueStorage | undefined;
    if (storage && typeof storage.getItem === 'function') {
      storage.setItem(LOCAL_STORAGE_PROBE, '1');
      storage.removeItem(LOCAL_STORAGE_PROBE);
      return storage;
    }
  } catch {
    // Fall through to memory.
  }
  return new MemoryStorage();
}

function listen(
  target: { addEventListener?: unknown; removeEventListener?: unknown } | undefined,
  type: string,
  listener: () => void,
): () => void {
  if (!target || typeof target.addEventListener !== 'function') return () => undefined;
  (target.addEventListener as AddListener).call(target, type, listener);
  return () => {
    if (typeof target.removeEventListener === 'function')
      (target.removeEventListener as AddListener).call(target, type, listener);
  };
}

function networkSignals(scope: GlobalScope): NetworkSignals {
  return {
    isOnline: () => scope.navigator?.onLine !== false,
    onOnline: (listener) => listen(scope, 'online', listener),
    onOffline: (listener) => listen(scope, 'offline', listener),
    onVisible: (listener) =>
      listen(scope.document, 'visibilitychange', () => {
        if (scope.document?.visibilityState === 'visible') listener();
      }),
    onPageHide: (listener) => listen(scope, 'pagehide', listener),
  };
}

const unavailableFetch: FetchLike = () => Promise.reject(new Error('fetch is not available here'));

/**
 * The platform from a browser-like global scope: WebSocket, EventSource, fetch, localStorage and
 * the online/offline/visibilitychange signals, each guarded for absence (workers, React Native, Node).
 */
export function globalPlatform(scope: GlobalScope = globalThis): Platform {
  const fetchFn =
    typeof scope.fetch === 'function' ? (scope.fetch as FetchLike).bind(scope) : unavailableFetch;
  const timers = {
    setTimeout: scope.setTimeout as (callback: () => void, ms: number) => unknown,
    clearTimeout: scope.clearTimeout as (handle: never) => void,
  };
  return {
    WebSocket: typeof scope.WebSocket === 'function' ? (scope.WebSocket as WebSocketConstructor) : undefined,
    EventSource:
      typeof scope.EventSource === 'function' ? (scope.EventSource as EventSourceConstructor) : undefined,
    fetch: fetchFn,
    storage: usableStorage(scope.localStorage),
    clock: timerClock(
      {
        setTimeout: (callback, ms) => timers.setTimeout.call(scope, callback, ms),
        clearTimeout: (handle) => timers.clearTimeout.call(scope, handle),
      },
      () => Date.now(),
    ),
    network: networkSignals(scope),
    random: () => Math.random(),
    pageIsSecure: () => scope.location?.protocol === 'https:',
  };
}
