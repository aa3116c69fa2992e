import type { FetchLike, Platform } from '../../src/platform/platform.js';

/** A Platform whose only live part is `fetch`: the API layer needs nothing else. */
export function fakePlatform(fetch: FetchLike): Platform {
  const store = new Map<string, string>();
  return {
    WebSocket: undefined,
    EventSource: undefined,
    fetch,
    storage: {
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value) => void store.set(key, value),
      removeItem: (key) => void store.delete(key),
    },
    clock: {
      now: () => 0,
      setTimeout: () => {
        throw new Error('the API layer must not set timers');
      },
      clearTimeout: () => undefined,
    },
    network: {
      isOnline: () => true,
      onOnline: () => () => undefined,
      onOffline: () => () => undefined,
      onVisible: () => () => undefined,
      onPageHide: () => () => undefined,
    },
    random: () => 0.5,
    pageIsSecure: () => false,
  };
}
