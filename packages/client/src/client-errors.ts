/**
 * Errors the client finds itself, each with a stable code the app can switch on. They reach the
 * app as the `error` event of the `Tether` object (and as return values where a call can fail).
 */
export const TetherErrorCode = {
  /** `trigger` while not connected (or not yet subscribed) with the client-event queue full. */
  ClientEventQueueFull: 'client_event_queue_full',
  /** `trigger` on a channel that does not allow client events (public, encrypted). */
  ClientEventNotAllowed: 'client_event_not_allowed',
  /** `trigger` with an event name that does not start with `client-`. */
  InvalidClientEventName: 'invalid_client_event_name',
  /** Queued client events were dropped because their channel failed to subscribe or was left. */
  ClientEventsDropped: 'client_events_dropped',
  /** `trigger` on a channel object that was unsubscribed (it is no longer in the client). */
  ChannelNotSubscribed: 'channel_not_subscribed',
  /** A subscription failed: the authorizer or the server refused it (also `pusher:subscription_error` on the channel). */
  SubscriptionFailed: 'subscription_failed',
  /** The user authenticator failed (also reported as `pusher:signin_error`). */
  SigninFailed: 'signin_failed',
} as const;
export type TetherErrorCode = (typeof TetherErrorCode)[keyof typeof TetherErrorCode];

/** Thrown only for programming errors (an invalid channel name passed to `subscribe`). */
export class TetherError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'TetherError';
    this.code = code;
  }
}
