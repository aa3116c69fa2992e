import type {
  TetherServerEventName,
  TetherServerEvents,
  TetherServerEventSource,
  TetherServerListener,
} from '../../src/server-events.js';

/** A stand-in for the server's event source: tests emit the core's events by hand. */
export class FakeServerEventSource implements TetherServerEventSource {
  private readonly listeners = new Map<TetherServerEventName, Set<(context: never) => void>>();

  on<K extends TetherServerEventName>(event: K, listener: TetherServerListener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends TetherServerEventName>(event: K, context: TetherServerEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as TetherServerListener<K>)(context);
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
