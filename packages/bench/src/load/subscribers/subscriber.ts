/** One subscribed connection held by the load generator. */
export interface Subscriber {
  /** Closes on purpose: no disconnect is reported afterwards. */
  close(): void;
}

export interface SubscriberHooks {
  /** One app event received: the frame as it arrived (socket.io: the event's data). */
  onDelivery(frame: string): void;
  /** The connection ended without `close()` being called. */
  onDisconnect(reason: string): void;
}

export interface SubscriberContext {
  host: string;
  port: number;
  channel: string;
  hooks: SubscriberHooks;
  /** Give up (and close) if not subscribed within this many milliseconds. */
  timeoutMs: number;
}
