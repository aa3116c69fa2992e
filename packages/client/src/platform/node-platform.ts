import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { MemoryStorage } from './memory-storage.js';
import type { EventSourceConstructor, Platform, WebSocketConstructor } from './platform.js';
import { timerClock } from './platform-clock.js';

/**
 * Node: the `ws` WebSocket, the `eventsource` package's EventSource and Node's built-in fetch
 * (Node 20+), memory storage, and no network or page signals (Node has none).
 */
export function nodePlatform(): Platform {
  return {
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    EventSource: EventSource as unknown as EventSourceConstructor,
    fetch: (url, init) => globalThis.fetch(url, init),
    storage: new MemoryStorage(),
    clock: timerClock({ setTimeout, clearTimeout }, () => Date.now()),
    network: {
      isOnline: () => true,
      onOnline: () => () => undefined,
      onOffline: () => () => undefined,
      onVisible: () => () => undefined,
      onPageHide: () => () => undefined,
    },
    random: () => Math.random(),
    pageIsSecure: () => false,
  };
}
