import type { Member, Members } from './channels/members.js';
import type { TetherErrorCode } from './client-errors.js';

/**
 * Typed event maps and the dispatcher every emitter of the API layer uses (client, channels, user).
 * Every listener gets one context object, and every context names its `event`, so a global
 * listener can tell them apart.
 */

export type Listener<C> = (context: C) => void;

/** The context of `K` in the map `E`, or the fallback `F` for names the map does not list. */
export type ContextOf<E, F, K extends string> = K extends keyof E ? E[K] : F;

/** Any context the dispatcher can emit: what a global listener receives. */
export type AnyContext<E, F> = E[keyof E] | F;

/** An app event on a channel (from the HTTP API, or a client event relayed by the server). */
export interface ChannelEventContext {
  event: string;
  channel: string;
  /** Decoded as pusher-js does: a JSON string becomes its value, anything else stays as it came. */
  data: unknown;
  /** The sender of a client event on a presence channel; null otherwise. */
  userId: string | null;
}

export interface SubscriptionSucceededContext {
  event: 'pusher:subscription_succeeded';
  channel: string;
  /** The presence channel's members; null on other channels. */
  members: Members | null;
}

export interface SubscriptionErrorContext {
  event: 'pusher:subscription_error';
  channel: string;
  /** 'AuthError' when the authorizer failed (as pusher-js reports it), or what the server sent. */
  type: string;
  /** The HTTP status of the auth endpoint (0 when no response arrived). */
  status: number;
  error: string;
}

export interface SubscriptionCountContext {
  event: 'pusher:subscription_count';
  channel: string;
  count: number;
}

export interface CacheMissContext {
  event: 'pusher:cache_miss';
  channel: string;
}

export interface MemberContext {
  event: 'pusher:member_added' | 'pusher:member_removed';
  channel: string;
  member: Member;
}

/** Events a channel emits itself; any other name is an app event with a `ChannelEventContext`. */
export interface ChannelEvents {
  'pusher:subscription_succeeded': SubscriptionSucceededContext;
  'pusher:subscription_error': SubscriptionErrorContext;
  'pusher:subscription_count': SubscriptionCountContext;
  'pusher:cache_miss': CacheMissContext;
  /** Presence channels only. */
  'pusher:member_added': MemberContext & { event: 'pusher:member_added' };
  /** Presence channels only. */
  'pusher:member_removed': MemberContext & { event: 'pusher:member_removed' };
}

/** A problem the client found itself (not the server): always with a stable code. */
export interface TetherErrorContext {
  event: 'error';
  code: TetherErrorCode;
  message: string;
  /** The channel concerned, if any. */
  channel: string | null;
}

export interface ServerErrorContext {
  event: 'pusher:error';
  code: number | null;
  message: string;
}

export interface SigninSuccessContext {
  event: 'pusher:signin_success';
  userId: string;
  /** The whole signed `user_data` object. */
  userData: Record<string, unknown>;
}

export interface SigninErrorContext {
  event: 'pusher:signin_error';
  type: string;
  status: number;
  error: string;
}

/**
 * Events of the `Tether` object itself. Any other name is an app event from any subscribed
 * channel (as `pusher.bind` works in pusher-js), with a `ChannelEventContext`.
 */
export interface TetherEvents {
  error: TetherErrorContext;
  'pusher:error': ServerErrorContext;
  'pusher:signin_success': SigninSuccessContext;
  'pusher:signin_error': SigninErrorContext;
}

/** Events of `tether.user`; any other name is a server-to-user event with a `ChannelEventContext`. */
export interface UserEvents {
  'pusher:signin_success': SigninSuccessContext;
  'pusher:signin_error': SigninErrorContext;
}

export interface WatchlistEventContext {
  event: 'online' | 'offline';
  userIds: string[];
}

export interface WatchlistEvents {
  online: WatchlistEventContext & { event: 'online' };
  offline: WatchlistEventContext & { event: 'offline' };
}

/**
 * Named listeners plus global ones. Listeners may bind and unbind while an event is being
 * dispatched: each emit works on a snapshot. A listener that throws does not stop the others;
 * the first error is rethrown once every listener has run.
 */
export class EventDispatcher<E extends object, F = never> {
  readonly #listeners = new Map<string, Listener<never>[]>();
  #global: Listener<AnyContext<E, F>>[] = [];

  /** Returns a function that removes this listener. */
  bind<K extends string>(event: K, listener: Listener<ContextOf<E, F, K>>): () => void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return () => this.unbind(event, listener);
  }

  /** Without a listener, removes every listener of `event`; without both, every named listener. */
  unbind<K extends string>(event?: K, listener?: Listener<ContextOf<E, F, K>>): void {
    if (event === undefined) {
      this.#listeners.clear();
      return;
    }
    if (listener === undefined) {
      this.#listeners.delete(event);
      return;
    }
    const list = this.#listeners.get(event);
    if (list === undefined) return;
    const remaining = list.filter((entry) => entry !== (listener as Listener<never>));
    if (remaining.length === 0) this.#listeners.delete(event);
    else this.#listeners.set(event, remaining);
  }

  /** Receives every event this dispatcher emits, with its context (which names the event). */
  bind_global(listener: Listener<AnyContext<E, F>>): () => void {
    this.#global.push(listener);
    return () => this.unbind_global(listener);
  }

  unbind_global(listener?: Listener<AnyContext<E, F>>): void {
    this.#global = listener === undefined ? [] : this.#global.filter((entry) => entry !== listener);
  }

  unbind_all(): void {
    this.#listeners.clear();
    this.#global = [];
  }

  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /**
   * Calls the global listeners, then the named ones. Returns true when anyone listened. Errors go to
   * `onError` as they happen, or else the first is rethrown once every listener has run.
   */
  emit<K extends string>(event: K, context: ContextOf<E, F, K>, onError?: (error: unknown) => void): boolean {
    const named = [...(this.#listeners.get(event) ?? [])] as Listener<ContextOf<E, F, K>>[];
    const global = [...this.#global] as Listener<ContextOf<E, F, K>>[];
    let failure: { error: unknown } | null = null;
    for (const listener of [...global, ...named]) {
      try {
        listener(context);
      } catch (error) {
        if (onError) onError(error);
        else failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
    return named.length + global.length > 0;
  }
}
