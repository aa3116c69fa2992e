import { EventDispatcher, type ContextOf, type Listener } from '../events.js';
import type { ClientClock } from '../platform/platform.js';

/**
 * A typed event map with bind/unbind; each listener gets one context object. A listener that throws
 * does not break the emitter or the other listeners: the error is rethrown on a fresh tick.
 */
export class TypedEmitter<Events extends object> {
  readonly #events = new EventDispatcher<Events>();
  readonly #clock: Pick<ClientClock, 'setTimeout'>;

  constructor(clock: Pick<ClientClock, 'setTimeout'>) {
    this.#clock = clock;
  }

  bind<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): () => void {
    return this.#events.bind(event, listener);
  }

  unbind<K extends keyof Events & string>(event: K, listener?: Listener<Events[K]>): void {
    this.#events.unbind(event, listener);
  }

  emit<K extends keyof Events & string>(event: K, context: Events[K]): void {
    this.#events.emit(event, context as ContextOf<Events, never, K>, (error) =>
      this.#clock.setTimeout(() => {
        throw error;
      }, 0),
    );
  }
}
