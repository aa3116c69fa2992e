import { PusherEvent, type ChannelKind, type ClientFrame, type ServerFrame } from '@tether/protocol';
import type { ChannelAuthorizer } from '../auth/channel-authorizer.js';
import { appEventContext, Bindable } from '../bindable.js';
import type { ChannelEventContext, ChannelEvents } from '../events.js';

/** A server frame addressed to a channel. */
export type ChannelFrame = Extract<ServerFrame, { channel: string }>;
type FrameOf<E extends string> = Extract<ChannelFrame, { event: E }>;

/** What a channel needs from the client that owns it. */
export interface ChannelHost {
  send(frame: ClientFrame): boolean;
  /** The current socket id; null while not connected. */
  socketId(): string | null;
  authorizeChannel: ChannelAuthorizer;
  /** `channel.trigger` goes through the client, which owns the offline queue. */
  triggerClientEvent(channel: Channel, event: string, data: unknown): boolean;
  /** The subscription succeeded: queued client events may flow. */
  channelSubscribed(channel: Channel): void;
  /** The subscription failed: queued client events for it are dropped. */
  channelFailed(channel: Channel, error: string): void;
}

/** The `pusher:subscribe` data a channel sends, or why it cannot. */
export type SubscribeAuth =
  | { ok: true; auth: string; channelData?: string }
  | { ok: false; type: string; status: number; error: string };

const isThenable = <T>(value: T | Promise<T>): value is Promise<T> => value instanceof Promise;

/**
 * A public channel: subscription bookkeeping (spec §3.2, §5.3) and its events. Private and
 * presence channels extend it with authorization and members.
 */
export class Channel extends Bindable<ChannelEvents, ChannelEventContext> {
  readonly name: string;
  readonly kind: ChannelKind;
  protected readonly host: ChannelHost;
  #subscribed = false;
  #pending = false;
  /** `pusher:subscribe` went out for the current attempt (so leaving needs `pusher:unsubscribe`). */
  #sent = false;
  #subscriptionCount: number | null = null;
  /** Bumped on every subscribe and reset, so a late auth answer for an older attempt is ignored. */
  #attempt = 0;

  constructor(name: string, kind: ChannelKind, host: ChannelHost) {
    super();
    this.name = name;
    this.kind = kind;
    this.host = host;
  }

  get subscribed(): boolean {
    return this.#subscribed;
  }

  /** Authorizing, or waiting for `subscription_succeeded`. */
  get subscriptionPending(): boolean {
    return this.#pending;
  }

  /** From `pusher:subscription_count`, when the server sends it. */
  get subscriptionCount(): number | null {
    return this.#subscriptionCount;
  }

  /**
   * Sends a client event (`client-…`, private and presence channels only). While not connected or
   * not yet subscribed it waits in the client's queue. Returns false when the event was refused
   * (wrong name, wrong channel type, queue full); the client's `error` event says why.
   */
  trigger(event: string, data?: unknown): boolean {
    return this.host.triggerClientEvent(this, event, data ?? {});
  }

  /** @internal Authorizes (where needed) and sends `pusher:subscribe`. */
  subscribe(): void {
    if (this.#subscribed) return;
    const socketId = this.host.socketId();
    if (socketId === null) return;
    this.#pending = true;
    this.#attempt += 1;
    const attempt = this.#attempt;
    const auth = this.authorize(socketId);
    if (isThenable(auth)) {
      void auth.then((result) => {
        if (attempt === this.#attempt) this.#afterAuth(result);
      });
    } else {
      this.#afterAuth(auth);
    }
  }

  /** @internal Subscribes unless subscribed or on the way. */
  subscribeIfNeeded(): void {
    if (!this.#pending && !this.#subscribed) this.subscribe();
  }

  #afterAuth(result: SubscribeAuth): void {
    if (!result.ok) {
      this.#pending = false;
      this.emit('pusher:subscription_error', {
        event: 'pusher:subscription_error',
        channel: this.name,
        type: result.type,
        status: result.status,
        error: result.error,
      });
      this.host.channelFailed(this, result.error);
      return;
    }
    this.#sent = true;
    this.host.send({
      event: PusherEvent.Subscribe,
      data: {
        channel: this.name,
        auth: result.auth,
        ...(result.channelData !== undefined ? { channel_data: result.channelData } : {}),
      },
    });
  }

  /** Public channels need no authorization: `auth` is the empty string, as pusher-js sends it. */
  protected authorize(_socketId: string): SubscribeAuth | Promise<SubscribeAuth> {
    return { ok: true, auth: '' };
  }

  /**
   * @internal Forgets the subscription and, when `pusher:subscribe` went out, sends
   * `pusher:unsubscribe` (the server handles frames in order, so this is right even while the
   * subscription is still pending). A late auth answer is ignored.
   */
  unsubscribe(): void {
    const sent = this.#sent;
    this.#reset();
    if (sent) this.host.send({ event: PusherEvent.Unsubscribe, data: { channel: this.name } });
  }

  /** @internal The connection is connecting or disconnected: the server forgot us (spec §3.2). */
  disconnect(): void {
    this.#reset();
  }

  #reset(): void {
    this.#subscribed = false;
    this.#pending = false;
    this.#sent = false;
    this.#attempt += 1;
    this.resetState();
  }

  /** Hook for subclasses: forget per-subscription state (presence members). */
  protected resetState(): void {}

  /** @internal A server frame for this channel. */
  handleFrame(frame: ChannelFrame): void {
    switch (frame.event) {
      case PusherEvent.SubscriptionSucceeded:
        this.#subscriptionSucceeded(frame as FrameOf<typeof PusherEvent.SubscriptionSucceeded>);
        return;
      case PusherEvent.SubscriptionError: {
        const { data } = frame as FrameOf<typeof PusherEvent.SubscriptionError>;
        this.#afterAuth({ ok: false, type: data.type, status: data.status, error: data.error });
        return;
      }
      case PusherEvent.SubscriptionCount: {
        const { data } = frame as FrameOf<typeof PusherEvent.SubscriptionCount>;
        this.#subscriptionCount = data.subscription_count;
        this.emit('pusher:subscription_count', {
          event: 'pusher:subscription_count',
          channel: this.name,
          count: data.subscription_count,
        });
        return;
      }
      case PusherEvent.CacheMiss:
        this.emit('pusher:cache_miss', { event: 'pusher:cache_miss', channel: this.name });
        return;
      case PusherEvent.MemberAdded:
        this.handleMemberAdded(frame as FrameOf<typeof PusherEvent.MemberAdded>);
        return;
      case PusherEvent.MemberRemoved:
        this.handleMemberRemoved(frame as FrameOf<typeof PusherEvent.MemberRemoved>);
        return;
      default:
        this.#appEvent(frame);
    }
  }

  #appEvent(frame: ChannelFrame): void {
    if (!frame.event.startsWith('pusher_internal:')) this.emit(frame.event, appEventContext(frame));
  }

  #subscriptionSucceeded(frame: FrameOf<typeof PusherEvent.SubscriptionSucceeded>): void {
    if (!this.#sent) return;
    this.#pending = false;
    this.#subscribed = true;
    this.applySubscriptionData(frame.data);
    this.emitSubscriptionSucceeded();
    this.host.channelSubscribed(this);
  }

  /** Hook for presence channels: read the member snapshot. */
  protected applySubscriptionData(_data: FrameOf<typeof PusherEvent.SubscriptionSucceeded>['data']): void {}

  protected emitSubscriptionSucceeded(): void {
    this.emit('pusher:subscription_succeeded', {
      event: 'pusher:subscription_succeeded',
      channel: this.name,
      members: null,
    });
  }

  /** Presence channels only; other channels ignore member frames. */
  protected handleMemberAdded(_frame: FrameOf<typeof PusherEvent.MemberAdded>): void {}

  protected handleMemberRemoved(_frame: FrameOf<typeof PusherEvent.MemberRemoved>): void {}
}
