import { ChannelKind, channelKind, SERVER_TO_USER_PREFIX } from '@tether/protocol';
import type { ApiBackend, ApiChannelState, ApiTriggerEvent } from '../../src/api/api-backend.js';
import { resolveApp, type AppConfig, type AppInput } from '../../src/app-config.js';

/** One fake connection: which channels it joined, as which presence user, and who it signed in as. */
interface FakeSocket {
  socketId: string;
  userId: string | undefined;
  channels: Map<string, string | undefined>;
}

export interface FakeDelivery {
  socketId: string;
  channel: string;
  name: string;
  data: string;
}

/**
 * An in-memory stand-in for the core server behind the HTTP API: sockets subscribe to channels
 * (as presence users if given), triggers are delivered to them with `socketId` excluded, and
 * `#server-to-user-{id}` goes to sockets signed in as that user.
 */
export class FakeApiBackend implements ApiBackend {
  readonly apps = new Map<string, AppConfig>();
  readonly sockets = new Map<string, FakeSocket>();
  readonly deliveries: FakeDelivery[] = [];
  readonly triggerCalls: ApiTriggerEvent[][] = [];
  readonly terminated: string[] = [];
  readonly cache = new Map<string, { data: string; ttl: number }>();
  /** When set, every async method rejects with it. */
  failure: Error | undefined;

  constructor(apps: AppInput[]) {
    for (const input of apps) this.apps.set(input.id, resolveApp(input));
  }

  /** Subscribes a socket; `userId` makes it a presence member of a presence channel. */
  subscribe(socketId: string, channel: string, presenceUserId?: string): this {
    this.socket(socketId).channels.set(channel, presenceUserId);
    return this;
  }

  signIn(socketId: string, userId: string): this {
    this.socket(socketId).userId = userId;
    return this;
  }

  deliveredTo(socketId: string): FakeDelivery[] {
    return this.deliveries.filter((delivery) => delivery.socketId === socketId);
  }

  findAppById(id: string): AppConfig | undefined {
    return this.apps.get(id);
  }

  trigger(_app: AppConfig, events: readonly ApiTriggerEvent[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.triggerCalls.push([...events]);
    for (const event of events) {
      for (const socket of this.sockets.values()) {
        if (socket.socketId === event.socketId) continue;
        const toUser = event.channel.startsWith(SERVER_TO_USER_PREFIX);
        const reaches = toUser
          ? socket.userId === event.channel.slice(SERVER_TO_USER_PREFIX.length)
          : socket.channels.has(event.channel);
        if (reaches)
          this.deliveries.push({
            socketId: socket.socketId,
            channel: event.channel,
            name: event.name,
            data: event.data,
          });
      }
    }
    return Promise.resolve();
  }

  channelInfo(_app: AppConfig, channel: string): Promise<ApiChannelState> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve(this.stateOf(channel));
  }

  channels(_app: AppConfig, prefix: string | undefined): Promise<Map<string, ApiChannelState>> {
    if (this.failure) return Promise.reject(this.failure);
    const names = new Set<string>();
    for (const socket of this.sockets.values()) for (const name of socket.channels.keys()) names.add(name);
    const result = new Map<string, ApiChannelState>();
    for (const name of names)
      if (prefix === undefined || name.startsWith(prefix)) result.set(name, this.stateOf(name));
    return Promise.resolve(result);
  }

  channelUsers(_app: AppConfig, channel: string): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve([...this.usersOf(channel)]);
  }

  terminateUserConnections(_app: AppConfig, userId: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.terminated.push(userId);
    for (const socket of [...this.sockets.values()])
      if (socket.userId === userId) this.sockets.delete(socket.socketId);
    return Promise.resolve();
  }

  private socket(socketId: string): FakeSocket {
    let socket = this.sockets.get(socketId);
    if (!socket) {
      socket = { socketId, userId: undefined, channels: new Map() };
      this.sockets.set(socketId, socket);
    }
    return socket;
  }

  private usersOf(channel: string): Set<string> {
    const users = new Set<string>();
    for (const socket of this.sockets.values()) {
      const userId = socket.channels.get(channel);
      if (userId !== undefined) users.add(userId);
    }
    return users;
  }

  private stateOf(channel: string): ApiChannelState {
    let subscriptionCount = 0;
    for (const socket of this.sockets.values()) if (socket.channels.has(channel)) subscriptionCount += 1;
    const state: ApiChannelState = { subscriptionCount };
    const { kind, cache } = channelKind(channel);
    if (kind === ChannelKind.Presence) state.userCount = this.usersOf(channel).size;
    const cached = this.cache.get(channel);
    if (cache && cached) state.cache = cached;
    return state;
  }
}
