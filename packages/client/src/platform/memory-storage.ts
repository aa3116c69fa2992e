import type { KeyValueStorage } from './platform.js';

/** localStorage-shaped storage in memory: Node's default, and the fallback when localStorage is unusable. */
export class MemoryStorage implements KeyValueStorage {
  readonly #items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }

  removeItem(key: string): void {
    this.#items.delete(key);
  }
}
