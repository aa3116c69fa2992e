import type {
  TetherServerEventName,
  TetherServerEvents,
  TetherServerEventSource,
  TetherServerListener,
} from './server-events.js';

/** Typed events with one context object each. A throwing listener is reported as `error`, never rethrown. */
export class ServerEventEmitter implements TetherServerEventSource {
  private readonly listeners = new Map<TetherServerEventName, Set<(context: never) => void>>();

  on<K extends TetherServerEventName>(event: K, listener: TetherServerListener<K>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  hasListeners(event: TetherServerEventName): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<K extends TetherServerEventName>(event: K, context: TetherServerEvents[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set] as TetherServerListener<K>[]) {
      try {
        listener(context);
      } catch (error) {
        if (event !== 'error') this.emit('error', { error, context: `listener for ${event}` });
      }
    }
  }
}
