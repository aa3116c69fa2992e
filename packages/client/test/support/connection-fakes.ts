import { encodeFrame, type ServerFrame } from '@tether/protocol';
import type {
  ClientClock,
  EventSourceLike,
  FetchLike,
  KeyValueStorage,
  NetworkSignals,
  Platform,
  TimerHandle,
  WebSocketLike,
} from '../../src/platform/platform.js';
import { MemoryStorage } from '../../src/platform/memory-storage.js';

/**
 * A fake Platform for unit tests: a manual clock, WebSocket / EventSource / fetch fakes the test
 * drives from the "server" side, memory storage and network signals the test flips.
 */

export class FakeClock implements ClientClock {
  private current = 0;
  private nextId = 1;
  private timers: { id: number; at: number; callback: () => void }[] = [];

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, at: this.current + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await flushPromises();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = end;
    await flushPromises();
  }
}

export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export const frame = (f: ServerFrame): string => encodeFrame(f);
export const established = (socketId = '1.1', activityTimeout = 120): string =>
  encodeFrame({
    event: 'pusher:connection_established',
    data: { socket_id: socketId, activity_timeout: activityTimeout },
  });

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];
  readyState = CONNECTING;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: string[] = [];
  closedByClient: { code: number | undefined; reason: string | undefined } | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = CLOSED;
  }

  // Server side
  accept(): void {
    this.readyState = OPEN;
    this.onopen?.({});
  }

  deliver(data: string): void {
    this.onmessage?.({ data });
  }

  /** Open and send `connection_established`. */
  establish(socketId = '1.1', activityTimeout = 120): void {
    this.accept();
    this.deliver(established(socketId, activityTimeout));
  }

  drop(code = 1006, reason = '', wasClean = false): void {
    this.readyState = CLOSED;
    this.onerror?.({});
    this.onclose?.({ code, reason, wasClean });
  }

  sentEvents(): string[] {
    return this.sent.map((s) => (JSON.parse(s) as { event: string }).event);
  }
}

type SseListener = (event: { data: string; lastEventId?: string }) => void;

export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: SseListener | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, SseListener[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: SseListener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  // Server side
  emit(type: string, data: string): void {
    if (this.closed) return;
    if (type === 'message') this.onmessage?.({ data });
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }

  session(id = 'session-0123456789abcdef'): void {
    this.readyState = 1;
    this.emit('session', JSON.stringify({ session: id }));
  }

  fail(): void {
    if (!this.closed) this.onerror?.({});
  }
}

export interface FetchCall {
  url: string;
  method: string;
  body: string | undefined;
  signal: AbortSignal | undefined;
  keepalive: boolean | undefined;
  respond(status: number, body: string): void;
  reject(error: Error): void;
}

/** A fetch whose every call waits until the test answers it. */
export class FakeFetch {
  readonly calls: FetchCall[] = [];
  /** When set, answers calls at once. */
  auto: ((url: string, method: string) => { status: number; body: string } | Error) | null = null;

  readonly fetch: FetchLike = (url, init) =>
    new Promise((resolve, reject) => {
      const method = init?.method ?? 'GET';
      const call: FetchCall = {
        url,
        method,
        body: init?.body,
        signal: init?.signal,
        keepalive: init?.keepalive,
        respond: (status, body) =>
          resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body) }),
        reject: (error) => reject(error),
      };
      init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      const answer = this.auto?.(url, method);
      if (answer instanceof Error) call.reject(answer);
      else if (answer) call.respond(answer.status, answer.body);
      else this.calls.push(call);
    });

  /** The oldest unanswered call whose URL contains `part`. */
  take(part: string): FetchCall {
    const index = this.calls.findIndex((c) => c.url.includes(part));
    const call = this.calls[index];
    if (!call)
      throw new Error(`no pending fetch to ${part}; pending: ${this.calls.map((c) => c.url).join(', ')}`);
    this.calls.splice(index, 1);
    return call;
  }
}

export class FakeNetwork implements NetworkSignals {
  online = true;
  private readonly listeners = {
    online: new Set<() => void>(),
    offline: new Set<() => void>(),
    visible: new Set<() => void>(),
    pagehide: new Set<() => void>(),
  };

  isOnline(): boolean {
    return this.online;
  }
  onOnline(listener: () => void): () => void {
    return this.add('online', listener);
  }
  onOffline(listener: () => void): () => void {
    return this.add('offline', listener);
  }
  onVisible(listener: () => void): () => void {
    return this.add('visible', listener);
  }
  onPageHide(listener: () => void): () => void {
    return this.add('pagehide', listener);
  }

  goOffline(): void {
    this.online = false;
    for (const l of [...this.listeners.offline]) l();
  }
  goOnline(): void {
    this.online = true;
    for (const l of [...this.listeners.online]) l();
  }
  becomeVisible(): void {
    for (const l of [...this.listeners.visible]) l();
  }
  hidePage(): void {
    for (const l of [...this.listeners.pagehide]) l();
  }
  get listenerCount(): number {
    return (
      this.listeners.online.size +
      this.listeners.offline.size +
      this.listeners.visible.size +
      this.listeners.pagehide.size
    );
  }

  private add(kind: 'online' | 'offline' | 'visible' | 'pagehide', listener: () => void): () => void {
    this.listeners[kind].add(listener);
    return () => this.listeners[kind].delete(listener);
  }
}

export interface FakePlatformOptions {
  webSocket?: boolean;
  eventSource?: boolean;
  secure?: boolean;
  random?: () => number;
  storage?: KeyValueStorage;
}

export interface FakeEnvironment {
  platform: Platform;
  clock: FakeClock;
  fetch: FakeFetch;
  network: FakeNetwork;
  storage: KeyValueStorage;
  sockets: FakeWebSocket[];
  sources: FakeEventSource[];
}

export function fakeConnectionPlatform(options: FakePlatformOptions = {}): FakeEnvironment {
  FakeWebSocket.instances = [];
  FakeEventSource.instances = [];
  const clock = new FakeClock();
  const fetch = new FakeFetch();
  const network = new FakeNetwork();
  const storage = options.storage ?? new MemoryStorage();
  const platform: Platform = {
    WebSocket: options.webSocket === false ? undefined : FakeWebSocket,
    EventSource: options.eventSource === false ? undefined : FakeEventSource,
    fetch: fetch.fetch,
    storage,
    clock,
    network,
    random: options.random ?? (() => 0.5),
    pageIsSecure: () => options.secure ?? false,
  };
  return {
    platform,
    clock,
    fetch,
    network,
    storage,
    get sockets() {
      return FakeWebSocket.instances;
    },
    get sources() {
      return FakeEventSource.instances;
    },
  };
}
