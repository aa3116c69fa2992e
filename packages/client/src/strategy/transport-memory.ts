import { isTransportName, type TransportName } from '@tether/protocol';
import type { ClientClock, KeyValueStorage } from '../platform/platform.js';

/** The transport that last worked, as stored. */
export interface TransportMemoryEntry {
  transport: TransportName;
  /** When it was stored (ms, platform clock). */
  at: number;
  /** Time from the start of its attempt to `connection_established`. */
  latency: number;
  /** Why it was chosen, in a sentence. */
  reason: string;
}

export const TRANSPORT_MEMORY_KEYS = {
  tls: 'tether:transport:tls',
  plain: 'tether:transport:plain',
} as const;

export const transportMemoryKey = (tls: boolean): string =>
  tls ? TRANSPORT_MEMORY_KEYS.tls : TRANSPORT_MEMORY_KEYS.plain;

function parseEntry(raw: string | null): TransportMemoryEntry | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { transport, at, latency, reason } = value as Record<string, unknown>;
  if (!isTransportName(transport) || typeof at !== 'number' || typeof latency !== 'number' || latency < 0)
    return null;
  return { transport, at, latency, reason: typeof reason === 'string' ? reason : '' };
}

/**
 * Remembers the transport that last worked, per TLS setting, through the platform's storage
 * (localStorage in browsers, memory in Node), for `ttlMs`. Storage that throws (private modes,
 * quotas) simply means nothing is remembered.
 */
export class TransportMemory {
  readonly #storage: KeyValueStorage;
  readonly #clock: Pick<ClientClock, 'now'>;
  readonly #ttlMs: number;
  constructor(storage: KeyValueStorage, clock: Pick<ClientClock, 'now'>, ttlMs: number) {
    this.#storage = storage;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** The fresh entry for this TLS setting, or null (absent, malformed or expired). */
  read(tls: boolean): TransportMemoryEntry | null {
    let raw: string | null;
    try {
      raw = this.#storage.getItem(transportMemoryKey(tls));
    } catch {
      return null;
    }
    const entry = parseEntry(raw);
    if (entry === null) return null;
    const age = this.#clock.now() - entry.at;
    if (age < 0 || age > this.#ttlMs) return null;
    return entry;
  }

  write(tls: boolean, entry: Omit<TransportMemoryEntry, 'at'>): void {
    const stored: TransportMemoryEntry = { ...entry, at: this.#clock.now() };
    try {
      this.#storage.setItem(transportMemoryKey(tls), JSON.stringify(stored));
    } catch {
      // Nothing remembered: the next connect starts from WebSocket.
    }
  }

  forget(tls: boolean): void {
    try {
      this.#storage.removeItem(transportMemoryKey(tls));
    } catch {
      // Ignored as above.
    }
  }
}
