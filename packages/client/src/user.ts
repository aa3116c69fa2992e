import {
  parseUserData,
  PusherEvent,
  serverToUserChannel,
  type ClientFrame,
  type WatchlistEventsData,
} from '@tether/protocol';
import type { UserAuthenticator } from './auth/user-authenticator.js';
import { AUTH_ERROR_TYPE } from './channels/private-channel.js';
import type { ChannelFrame } from './channels/channel.js';
import { appEventContext, Bindable } from './bindable.js';
import {
  EventDispatcher,
  type ChannelEventContext,
  type SigninErrorContext,
  type SigninSuccessContext,
  type UserEvents,
  type WatchlistEvents,
} from './events.js';

/** HTTP status reported when the endpoint answered 200 but its user_data is unusable. */
const HTTP_OK = 200;

/** What the user needs from the client that owns it. */
export interface UserHost {
  send(frame: ClientFrame): boolean;
  socketId(): string | null;
  authenticateUser: UserAuthenticator;
  /** Sign-in results are also events of the client itself. */
  signinSucceeded(context: SigninSuccessContext): void;
  signinFailed(context: SigninErrorContext): void;
}

/**
 * The signed-in user (spec §5.3): `signin()` authenticates through the user-auth endpoint and sends
 * `pusher:signin`; after `pusher:signin_success` the client subscribes to `#server-to-user-{id}`,
 * whose events reach `user.bind`. Sign-in is repeated after every reconnect once requested.
 */
export class TetherUser extends Bindable<UserEvents, ChannelEventContext> {
  readonly #host: UserHost;
  /** Presence of watched users: `online` / `offline` with their ids. */
  readonly watchlist = new EventDispatcher<WatchlistEvents>();
  #requested = false;
  #attempt = 0;
  #id: string | null = null;
  #userData: Record<string, unknown> | null = null;

  constructor(host: UserHost) {
    super();
    this.#host = host;
  }

  /** The signed-in user's id; null until `pusher:signin_success` (and again after a disconnect). */
  get id(): string | null {
    return this.#id;
  }

  get userData(): Record<string, unknown> | null {
    return this.#userData;
  }

  get signinRequested(): boolean {
    return this.#requested;
  }

  /** @internal `tether.signin()`: signs in now if connected, and after every (re)connect. */
  signin(): void {
    if (this.#requested) return;
    this.#requested = true;
    this.connected();
  }

  /** @internal The connection reached `connected`. */
  connected(): void {
    if (!this.#requested) return;
    const socketId = this.#host.socketId();
    if (socketId === null) return;
    this.#attempt += 1;
    const attempt = this.#attempt;
    void this.#host.authenticateUser({ socketId }).then((outcome) => {
      if (attempt !== this.#attempt) return;
      if (!outcome.ok) {
        this.#fail(outcome.status, outcome.error);
        return;
      }
      this.#host.send({
        event: PusherEvent.Signin,
        data: { auth: outcome.data.auth, user_data: outcome.data.user_data },
      });
    });
  }

  /** @internal The connection is connecting or disconnected: the server forgot the sign-in. */
  disconnected(): void {
    this.#attempt += 1;
    this.#id = null;
    this.#userData = null;
  }

  #fail(status: number, error: string): void {
    const context: SigninErrorContext = {
      event: 'pusher:signin_error',
      type: AUTH_ERROR_TYPE,
      status,
      error,
    };
    this.emit('pusher:signin_error', context);
    this.#host.signinFailed(context);
  }

  /** @internal `pusher:signin_success`. */
  handleSigninSuccess(userData: string): void {
    const parsed = parseUserData(userData);
    if (!parsed.ok) {
      this.#fail(HTTP_OK, `unusable user_data: ${parsed.error.message}`);
      return;
    }
    this.#id = parsed.value.id;
    this.#userData = parsed.value.data;
    this.#host.send({
      event: PusherEvent.Subscribe,
      data: { channel: serverToUserChannel(this.#id), auth: '' },
    });
    const context: SigninSuccessContext = {
      event: 'pusher:signin_success',
      userId: this.#id,
      userData: this.#userData,
    };
    this.emit('pusher:signin_success', context);
    this.#host.signinSucceeded(context);
  }

  /** @internal True for frames on this user's `#server-to-user-` channel. */
  ownsChannel(channel: string): boolean {
    return this.#id !== null && channel === serverToUserChannel(this.#id);
  }

  /** @internal An event on `#server-to-user-{id}`; protocol events on it are not the app's. */
  handleFrame(frame: ChannelFrame): void {
    if (frame.event.startsWith('pusher:') || frame.event.startsWith('pusher_internal:')) return;
    this.emit(frame.event, appEventContext(frame));
  }

  /** @internal `pusher_internal:watchlist_events`. */
  handleWatchlist(data: WatchlistEventsData): void {
    for (const entry of data.events) {
      if (entry.name === 'online')
        this.watchlist.emit('online', { event: 'online', userIds: entry.user_ids });
      else this.watchlist.emit('offline', { event: 'offline', userIds: entry.user_ids });
    }
  }
}
