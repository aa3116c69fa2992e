import { tetherFrameSender, type HttpSubscriberOptions } from './http-subscriber-options.js';
import { PusherSubscription } from './pusher-subscription.js';
import type { Subscriber, SubscriberContext } from './subscriber.js';

/**
 * The life of one HTTP subscriber (SSE or long-poll), shared by both: the Pusher subscription its
 * frames feed, the connect promise settled once (subscribed, failed, or timed out), the Tether
 * session id its POSTs go to, and the request in flight to cancel on close or failure.
 */
export class HttpSubscriberRun {
  /** Set once the subscriber closes or fails: replies that arrive later are ignored. */
  closing = false;
  /** The Tether session id, once the server has sent it. */
  session: string | undefined;
  /** Cancels the request in flight. */
  abort: (() => void) | undefined;
  readonly subscription: PusherSubscription;
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly context: SubscriberContext,
    options: HttpSubscriberOptions,
    transport: 'SSE' | 'long-poll',
    private readonly resolve: (subscriber: Subscriber) => void,
    private readonly reject: (error: Error) => void,
  ) {
    const { mode } = options;
    this.timer = setTimeout(
      () => this.fail(`not subscribed within ${context.timeoutMs} ms`),
      context.timeoutMs,
    );
    this.subscription = new PusherSubscription({
      channel: context.channel,
      handshake: mode.kind === 'raw' ? 'implicit' : 'pusher',
      ...(mode.kind === 'tether' ? { authorize: mode.authorize } : {}),
      send:
        mode.kind === 'tether'
          ? tetherFrameSender(context, options, mode.key, () => this.session, this.fail)
          : () => this.fail(`raw ${transport} has no upstream`),
      onSubscribed: this.subscribed,
      onFailure: this.fail,
      onDelivery: context.hooks.onDelivery,
    });
  }

  /** Rejects the connect promise while it is pending; afterwards reports a disconnect, unless closing. */
  readonly fail = (reason: string): void => {
    const wasClosing = this.closing;
    this.closing = true;
    this.abort?.();
    if (!this.settled) {
      this.settled = true;
      clearTimeout(this.timer);
      this.reject(new Error(reason));
    } else if (!wasClosing) this.context.hooks.onDisconnect(reason);
  };

  private readonly subscribed = (): void => {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve({
      close: () => {
        this.closing = true;
        this.abort?.();
      },
    });
  };
}
