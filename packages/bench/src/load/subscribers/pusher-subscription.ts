import {
  channelKind,
  decodeServerFrame,
  encodeClientFrame,
  PusherEvent,
  requiresAuth,
  type ClientFrame,
  type ServerFrame,
} from '@tether/protocol';

/** A protocol frame by its event (a channel event's `event: string` would otherwise swallow the narrowing). */
type ProtocolFrame<E extends string> = Extract<ServerFrame, { event: E }>;
import { isAppEventFrame } from '../../wire/bench-payload.js';

/**
 * The Pusher-protocol side of one subscriber, whatever carries its frames: waits for
 * `connection_established` (unless the server subscribes implicitly or needs no handshake), sends
 * `pusher:subscribe` (signed for private channels), answers pings, and passes app events on.
 */
export interface PusherSubscriptionOptions {
  channel: string;
  /**
   * `pusher`: await `connection_established`, then subscribe.
   * `immediate`: subscribe at `start()` (raw ws baseline).
   * `implicit`: the request itself subscribed; only await the acknowledgement (raw HTTP baselines).
   */
  handshake: 'pusher' | 'immediate' | 'implicit';
  /** Signs a private-channel subscription for this socket id. */
  authorize?: (socketId: string, channel: string) => string;
  send: (frame: string) => void;
  onSubscribed: (socketId: string | undefined) => void;
  onFailure: (reason: string) => void;
  onDelivery: (frame: string) => void;
}

export class PusherSubscription {
  private subscribed = false;
  private socketId: string | undefined;

  constructor(private readonly options: PusherSubscriptionOptions) {}

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  start(): void {
    if (this.options.handshake === 'immediate') this.subscribe();
  }

  receive(frame: string): void {
    if (this.subscribed && isAppEventFrame(frame)) {
      this.options.onDelivery(frame);
      return;
    }
    const decoded = decodeServerFrame(frame);
    if (!decoded.ok) {
      this.options.onFailure(`undecodable frame: ${decoded.error.code}`);
      return;
    }
    const message = decoded.frame;
    switch (message.event) {
      case PusherEvent.ConnectionEstablished:
        this.socketId = (message as ProtocolFrame<typeof PusherEvent.ConnectionEstablished>).data.socket_id;
        if (this.options.handshake === 'pusher') this.subscribe();
        return;
      case PusherEvent.SubscriptionSucceeded:
        if (message.channel !== this.options.channel || this.subscribed) return;
        this.subscribed = true;
        this.options.onSubscribed(this.socketId);
        return;
      case PusherEvent.Ping:
        this.send({ event: PusherEvent.Pong, data: {} });
        return;
      case PusherEvent.Error: {
        const { data } = message as ProtocolFrame<typeof PusherEvent.Error>;
        this.options.onFailure(`pusher:error ${data.code ?? ''} ${data.message}`);
        return;
      }
      case PusherEvent.SubscriptionError: {
        const { data } = message as ProtocolFrame<typeof PusherEvent.SubscriptionError>;
        this.options.onFailure(`subscription_error ${data.status} ${data.error}`);
        return;
      }
      default:
        // An app event before subscription_succeeded cannot happen; other protocol events are ignored.
        return;
    }
  }

  private subscribe(): void {
    const { channel, authorize } = this.options;
    const auth =
      requiresAuth(channelKind(channel).kind) && authorize && this.socketId !== undefined
        ? authorize(this.socketId, channel)
        : undefined;
    this.send({ event: PusherEvent.Subscribe, data: auth === undefined ? { channel } : { channel, auth } });
  }

  private send(frame: ClientFrame): void {
    this.options.send(encodeClientFrame(frame));
  }
}
