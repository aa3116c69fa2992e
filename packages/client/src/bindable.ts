import type { ChannelFrame } from './channels/channel.js';
import {
  EventDispatcher,
  type AnyContext,
  type ChannelEventContext,
  type ContextOf,
  type Listener,
} from './events.js';

/**
 * pusher-js's listener API (`bind`, `unbind`, `bind_global`, `unbind_global`, `unbind_all`) over one
 * dispatcher, shared by the client, its channels and its user; only the owner emits.
 */
export class Bindable<E extends object, F = never> {
  readonly #events = new EventDispatcher<E, F>();

  /** Returns a function that removes this listener. */
  bind<K extends string>(event: K, listener: Listener<ContextOf<E, F, K>>): () => void {
    return this.#events.bind(event, listener);
  }

  /** Without a listener, removes every listener of `event`; without both, every named listener. */
  unbind<K extends string>(event?: K, listener?: Listener<ContextOf<E, F, K>>): void {
    this.#events.unbind(event, listener);
  }

  /** Receives every event, with its context (which names the event). */
  bind_global(listener: Listener<AnyContext<E, F>>): () => void {
    return this.#events.bind_global(listener);
  }

  unbind_global(listener?: Listener<AnyContext<E, F>>): void {
    this.#events.unbind_global(listener);
  }

  unbind_all(): void {
    this.#events.unbind_all();
  }

  protected emit<K extends string>(event: K, context: ContextOf<E, F, K>): void {
    this.#events.emit(event, context);
  }
}

/** The context of an app event (or client event) on a channel. */
export function appEventContext(frame: ChannelFrame): ChannelEventContext {
  return {
    event: frame.event,
    channel: frame.channel,
    data: 'data' in frame ? frame.data : undefined,
    userId: 'user_id' in frame && typeof frame.user_id === 'string' ? frame.user_id : null,
  };
}
