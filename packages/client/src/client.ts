import {
  allowsClientEvents,
  isClientEventName,
  isProtocolEvent,
  PusherEvent,
  type ServerFrame,
} from '@tether/protocol';
import { createChannelAuthorizer, type ChannelAuthorizer } from './auth/channel-authorizer.js';
import { createUserAuthenticator, type UserAuthenticator } from './auth/user-authenticator.js';
import type { Channel, ChannelFrame, ChannelHost } from './channels/channel.js';
import { ChannelRegistry } from './channels/channel-registry.js';
import type { PresenceChannel } from './channels/presence-channel.js';
import type { PrivateChannel } from './channels/private-channel.js';
import { TetherError, TetherErrorCode } from './client-errors.js';
import { ClientEventQueue } from './client-event-queue.js';
import { resolveApiOptions, type ResolvedApiOptions, type TetherOptions } from './client-options.js';
import type { Connection } from './connection/connection.js';
import { ConnectionState } from './connection/connection-state.js';
import { appEventContext, Bindable } from './bindable.js';
import type { ChannelEventContext, TetherEvents } from './events.js';
import type { FetchLike, Platform } from './platform/platform.js';
import { TetherUser, type UserHost } from './user.js';

/** What an entry point supplies: the default platform and how to build the connection. */
export interface TetherEnvironment {
  platform(): Platform;
  createConnection(key: string, options: TetherOptions, platform: Platform): Connection;
}

/** Names the client emits itself: a channel event of the same name is not forwarded to `tether.bind`. */
const OWN_EVENTS: ReadonlySet<string> = new Set<keyof TetherEvents>(['error']);

const noFetch: FetchLike = () => Promise.reject(new Error('no fetch: pass options.platform'));

/**
 * The client, as pusher-js users know it: `subscribe`, `bind`, `trigger` on channels, presence
 * members, `signin`, and `connection` for states and diagnostics. It owns channels, auth and the
 * client-event queue; the `Connection` below it owns transports, heartbeat and retries.
 */
export class Tether extends Bindable<TetherEvents, ChannelEventContext> {
  readonly key: string;
  /** States, `state_change` / `connected` / `connecting_in` / `error` events, `diagnostics()`. */
  readonly connection: Connection;
  readonly user: TetherUser;
  readonly options: ResolvedApiOptions;
  readonly #channels: ChannelRegistry;
  readonly #queue: ClientEventQueue;
  readonly #authorizeChannel: ChannelAuthorizer;
  readonly #authenticateUser: UserAuthenticator;
  /** The socket id the channels were last subscribed with. */
  #subscribedWith: string | null = null;

  constructor(key: string, options: TetherOptions = {}, environment?: TetherEnvironment) {
    super();
    this.key = key;
    this.options = resolveApiOptions(options);
    const platform = options.platform ?? environment?.platform();
    const connection =
      options.connection ?? (platform && environment?.createConnection(key, options, platform));
    if (connection === undefined) {
      throw new TetherError('no_connection', 'no connection: pass options.connection');
    }
    this.connection = connection;
    const fetch = platform?.fetch ?? noFetch;
    this.#authorizeChannel = createChannelAuthorizer(this.options.channelAuthorization, fetch);
    this.#authenticateUser = createUserAuthenticator(this.options.userAuthentication, fetch);
    this.#queue = new ClientEventQueue(this.options.clientEventQueueSize);
    this.#channels = new ChannelRegistry(this.#channelHost());
    this.user = new TetherUser(this.#userHost());

    connection.bind('state_change', ({ current }) => {
      if (current !== ConnectionState.Connected) this.#resetAll();
    });
    connection.bind('connected', ({ socketId }) => this.#connected(socketId));
    connection.bind('message', ({ frame }) => this.#route(frame));
    if (this.options.autoConnect) this.connect();
  }

  connect(): void {
    this.connection.connect();
  }

  disconnect(): void {
    this.connection.disconnect();
  }

  /** Subscribes (or returns the existing channel). Throws `TetherError` for an invalid name. */
  subscribe(name: `presence-${string}`): PresenceChannel;
  subscribe(name: `private-${string}`): PrivateChannel;
  subscribe(name: string): Channel;
  subscribe(name: string): Channel {
    const channel = this.#channels.add(name);
    if (this.connection.state === ConnectionState.Connected) channel.subscribeIfNeeded();
    return channel;
  }

  /** Leaves the channel (and drops its queued client events). Its listeners stay on the old object. */
  unsubscribe(name: string): void {
    const channel = this.#channels.remove(name);
    if (channel === undefined) return;
    this.#queue.drop(name);
    channel.unsubscribe();
  }

  channel(name: `presence-${string}`): PresenceChannel | undefined;
  channel(name: `private-${string}`): PrivateChannel | undefined;
  channel(name: string): Channel | undefined;
  channel(name: string): Channel | undefined {
    return this.#channels.find(name);
  }

  allChannels(): Channel[] {
    return this.#channels.all();
  }

  /** Signs in through the user-auth endpoint now (if connected) and after every reconnect. */
  signin(): void {
    this.user.signin();
  }

  /** Client events waiting for a connection (or a subscription). */
  get queuedClientEvents(): number {
    return this.#queue.size;
  }

  // -------------------------------------------------------------------------------------------

  #connected(socketId: string): void {
    // A new socket id means a new server-side connection: whatever we had is gone (spec §3.2).
    if (this.#subscribedWith !== null && this.#subscribedWith !== socketId) this.#resetAll();
    this.#subscribedWith = socketId;
    for (const channel of this.#channels.all()) channel.subscribeIfNeeded();
    this.user.connected();
  }

  #resetAll(): void {
    this.#subscribedWith = null;
    for (const channel of this.#channels.all()) channel.disconnect();
    this.user.disconnected();
  }

  #route(frame: ServerFrame): void {
    if ('channel' in frame) {
      this.#routeChannelFrame(frame);
      return;
    }
    switch (frame.event) {
      case PusherEvent.Error:
        this.emit('pusher:error', {
          event: 'pusher:error',
          code: frame.data.code,
          message: frame.data.message,
        });
        return;
      case PusherEvent.SigninSuccess:
        this.user.handleSigninSuccess(frame.data.user_data);
        return;
      case PusherEvent.WatchlistEvents:
        this.user.handleWatchlist(frame.data);
        return;
      case PusherEvent.ConnectionEstablished:
      case PusherEvent.Ping:
      case PusherEvent.Pong:
        return;
    }
  }

  #routeChannelFrame(frame: ChannelFrame): void {
    if (this.user.ownsChannel(frame.channel)) {
      this.user.handleFrame(frame);
      return;
    }
    this.#channels.find(frame.channel)?.handleFrame(frame);
    if (
      isProtocolEvent(frame.event) ||
      frame.event.startsWith('pusher_internal:') ||
      OWN_EVENTS.has(frame.event)
    )
      return;
    this.emit(frame.event, appEventContext(frame));
  }

  #error(code: TetherErrorCode, message: string, channel: string | null): void {
    this.emit('error', { event: 'error', code, message, channel });
  }

  #trigger(channel: Channel, event: string, data: unknown): boolean {
    if (!isClientEventName(event)) {
      this.#error(
        TetherErrorCode.InvalidClientEventName,
        `client event names must start with "client-": "${event}"`,
        channel.name,
      );
      return false;
    }
    if (!allowsClientEvents(channel.kind)) {
      this.#error(
        TetherErrorCode.ClientEventNotAllowed,
        `client events need a private- or presence- channel, not "${channel.name}"`,
        channel.name,
      );
      return false;
    }
    if (this.#channels.find(channel.name) !== channel) {
      this.#error(TetherErrorCode.ChannelNotSubscribed, `"${channel.name}" was unsubscribed`, channel.name);
      return false;
    }
    const ready = this.connection.state === ConnectionState.Connected && channel.subscribed;
    if (
      ready &&
      !this.#queue.has(channel.name) &&
      this.connection.send({ event, channel: channel.name, data })
    )
      return true;
    if (this.#queue.push({ channel: channel.name, event, data })) return true;
    this.#error(
      TetherErrorCode.ClientEventQueueFull,
      `client event "${event}" dropped: ${this.#queue.maxSize} events already wait`,
      channel.name,
    );
    return false;
  }

  #flushQueue(): void {
    if (this.connection.state !== ConnectionState.Connected) return;
    this.#queue.flush(
      (name) => this.#channels.find(name)?.subscribed === true,
      (entry) =>
        isClientEventName(entry.event) &&
        this.connection.send({ event: entry.event, channel: entry.channel, data: entry.data }),
    );
  }

  #channelHost(): ChannelHost {
    return {
      send: (frame) => this.connection.send(frame),
      socketId: () => (this.connection.state === ConnectionState.Connected ? this.connection.socketId : null),
      authorizeChannel: (request) => this.#authorizeChannel(request),
      triggerClientEvent: (channel, event, data) => this.#trigger(channel, event, data),
      channelSubscribed: () => this.#flushQueue(),
      channelFailed: (channel, error) => {
        const dropped = this.#queue.drop(channel.name);
        this.#error(
          TetherErrorCode.SubscriptionFailed,
          `subscription to "${channel.name}" failed: ${error}`,
          channel.name,
        );
        if (dropped > 0) {
          this.#error(
            TetherErrorCode.ClientEventsDropped,
            `${dropped} queued client event(s) for "${channel.name}" dropped`,
            channel.name,
          );
        }
      },
    };
  }

  #userHost(): UserHost {
    return {
      send: (frame) => this.connection.send(frame),
      socketId: () => (this.connection.state === ConnectionState.Connected ? this.connection.socketId : null),
      authenticateUser: (request) => this.#authenticateUser(request),
      signinSucceeded: (context) => this.emit('pusher:signin_success', context),
      signinFailed: (context) => {
        this.emit('pusher:signin_error', context);
        this.#error(TetherErrorCode.SigninFailed, `sign-in failed: ${context.error}`, null);
      },
    };
  }
}
