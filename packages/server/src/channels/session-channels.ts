import {
  ChannelKind,
  encodeFrame,
  parseChannelName,
  parsePresenceChannelData,
  presenceSnapshot,
  PusherEvent,
  requiresAuth,
  serverToUserChannel,
  type ChannelInfo,
  type PresenceMember,
  type SubscribeData,
  type SubscriptionErrorData,
} from '@tether/protocol';
import type { AppConfig } from '../app-config.js';
import { verifyChannelAuth } from '../auth/authorizer.js';
import type { SessionServices } from '../session-services.js';
import type { LocalRecipient } from './local-recipient.js';

export interface SubscribedChannel {
  info: ChannelInfo;
  /** Presence channels: this connection's member entry. */
  member?: PresenceMember;
}

/** Subscription error types sent in `pusher:subscription_error` (soketi's shape, spec §5.3). */
export const SubscriptionErrorType = {
  AuthError: 'AuthError',
  InvalidChannel: 'InvalidChannel',
  InvalidChannelData: 'InvalidChannelData',
  LimitReached: 'LimitReached',
} as const;

/** Status numbers carried in `pusher:subscription_error`: HTTP-like, 4100 for a full channel as soketi. */
export const SubscriptionErrorStatus = {
  BadRequest: 400,
  Unauthorized: 401,
  TooLarge: 413,
  OverCapacity: 4100,
} as const;

/** The session that subscribes: where frames go, and who is signed in (for `#server-to-user-{id}`). */
export interface ChannelSubscriber extends LocalRecipient {
  readonly user: string | undefined;
}

/**
 * The channels one session has joined: subscribe, unsubscribe and leave-all, presence and cache included.
 * Most connections join one channel, so one is held as is and a Map is made only for a second.
 */
export class SessionChannels {
  private joined: SubscribedChannel | Map<string, SubscribedChannel> | undefined = undefined;

  constructor(
    private readonly services: SessionServices,
    private readonly app: AppConfig,
    private readonly recipient: ChannelSubscriber,
  ) {}

  get(channel: string): SubscribedChannel | undefined {
    const joined = this.joined;
    if (joined instanceof Map) return joined.get(channel);
    return joined?.info.name === channel ? joined : undefined;
  }

  /** The names of the channels joined, in the order they were joined. */
  private names(): string[] {
    const joined = this.joined;
    if (joined instanceof Map) return [...joined.keys()];
    return joined === undefined ? [] : [joined.info.name];
  }

  private add(channel: SubscribedChannel): void {
    const joined = this.joined;
    if (joined === undefined) this.joined = channel;
    else if (joined instanceof Map) joined.set(channel.info.name, channel);
    else
      this.joined = new Map([
        [joined.info.name, joined],
        [channel.info.name, channel],
      ]);
  }

  private remove(channel: string): void {
    const joined = this.joined;
    if (joined instanceof Map) {
      joined.delete(channel);
      if (joined.size === 0) this.joined = undefined;
    } else if (joined?.info.name === channel) this.joined = undefined;
  }

  async subscribe(data: SubscribeData): Promise<void> {
    const parsed = parseChannelName(data.channel, {
      maxLength: this.app.maxChannelNameLength,
      strict: this.app.strictChannelNames,
    });
    if (!parsed.ok) {
      this.refuse(
        data.channel,
        SubscriptionErrorType.InvalidChannel,
        parsed.error.message,
        SubscriptionErrorStatus.BadRequest,
      );
      return;
    }
    const info = parsed.value;
    if (info.kind === ChannelKind.ServerToUser) {
      const user = this.recipient.user;
      if (user !== undefined && serverToUserChannel(user) === info.name) this.succeeded(info.name);
      else
        this.refuse(
          info.name,
          SubscriptionErrorType.AuthError,
          'Sign in as this user first',
          SubscriptionErrorStatus.Unauthorized,
        );
      return;
    }
    const channelData = info.kind === ChannelKind.Presence ? (data.channel_data ?? '') : undefined;
    if (requiresAuth(info.kind)) {
      const verified = verifyChannelAuth(
        this.app,
        this.recipient.socketId,
        info.name,
        data.auth,
        channelData,
      );
      if (!verified.ok) {
        this.refuse(
          info.name,
          SubscriptionErrorType.AuthError,
          verified.error.reason,
          SubscriptionErrorStatus.Unauthorized,
        );
        this.recipient.send(
          encodeFrame({ event: PusherEvent.Error, data: { code: null, message: verified.error.reason } }),
        );
        return;
      }
    }
    const existing = this.get(info.name);
    if (existing !== undefined) {
      await this.acknowledge(existing);
      return;
    }
    const joined: SubscribedChannel = { info };
    let firstJoin = false;
    if (channelData !== undefined) {
      const admitted = await this.admitMember(info.name, channelData);
      if (admitted === undefined) return;
      joined.member = admitted.member;
      firstJoin = admitted.firstJoin;
    }
    const change = await this.services.adapter.subscribe(this.app.id, info.name, this.recipient.socketId);
    // Reported in the order Pusher's webhooks use: the channel is occupied before its first member joins.
    if (change.transition)
      this.services.events.emit('channel_occupied', { app: this.app, channel: info.name });
    if (firstJoin && joined.member !== undefined) {
      this.services.events.emit('member_added', {
        app: this.app,
        channel: info.name,
        userId: joined.member.user_id,
      });
    }
    // The registry's copy of the info (and name) is kept, not this frame's: one per channel, not per connection.
    joined.info = this.services.registry.addToChannel(this.app.id, info, this.recipient);
    this.add(joined);
    await this.acknowledge(joined);
    await this.countChanged(info, change.subscriptionCount);
  }

  async unsubscribe(channel: string): Promise<void> {
    const joined = this.get(channel);
    if (joined === undefined) return;
    this.remove(channel);
    this.services.registry.removeFromChannel(this.app.id, channel, this.recipient);
    const { adapter, events } = this.services;
    if (joined.member !== undefined) {
      const left = await adapter.removeMember(this.app.id, channel, this.recipient.socketId);
      if (left.transition && left.userId !== undefined) {
        await adapter.publish({
          kind: 'channel',
          appId: this.app.id,
          channel,
          frame: encodeFrame({ event: PusherEvent.MemberRemoved, channel, data: { user_id: left.userId } }),
        });
        events.emit('member_removed', { app: this.app, channel, userId: left.userId });
      }
    }
    const change = await adapter.unsubscribe(this.app.id, channel, this.recipient.socketId);
    if (change.transition) events.emit('channel_vacated', { app: this.app, channel });
    await this.countChanged(joined.info, change.subscriptionCount);
  }

  async leaveAll(): Promise<void> {
    for (const channel of this.names()) await this.unsubscribe(channel);
  }

  /**
   * With the app's `subscriptionCountEvents` on, tells every subscriber of a non-presence channel, on
   * every node, its new cluster-wide count (the adapter's), and reports it for webhooks.
   */
  private async countChanged(info: ChannelInfo, subscriptionCount: number): Promise<void> {
    if (!this.app.subscriptionCountEvents || info.kind === ChannelKind.Presence) return;
    const channel = info.name;
    this.services.events.emit('subscription_count', { app: this.app, channel, subscriptionCount });
    if (subscriptionCount === 0) return;
    await this.services.adapter.publish({
      kind: 'channel',
      appId: this.app.id,
      channel,
      frame: encodeFrame({
        event: PusherEvent.SubscriptionCount,
        channel,
        data: { subscription_count: subscriptionCount },
      }),
    });
  }

  /**
   * Parses channel_data, enforces the member limits and joins the presence set; on the user's first join
   * sends member_added to the other subscribers (the caller reports it, after channel_occupied).
   */
  private async admitMember(
    channel: string,
    channelData: string,
  ): Promise<{ member: PresenceMember; firstJoin: boolean } | undefined> {
    const parsed = parsePresenceChannelData(channelData, {
      maxUserInfoBytes: this.app.maxPresenceMemberSizeBytes,
    });
    if (!parsed.ok) {
      const tooLarge = parsed.error.message.includes('user_info larger');
      this.refuse(
        channel,
        tooLarge ? SubscriptionErrorType.LimitReached : SubscriptionErrorType.InvalidChannelData,
        parsed.error.message,
        tooLarge ? SubscriptionErrorStatus.TooLarge : SubscriptionErrorStatus.BadRequest,
      );
      return undefined;
    }
    const member = parsed.value;
    const { adapter } = this.services;
    const max = this.app.maxPresenceMembersPerChannel;
    if (max > 0 && !(await adapter.hasMember(this.app.id, channel, member.user_id))) {
      const counts = await adapter.channelCounts(this.app.id, channel);
      if ((counts.userCount ?? 0) >= max) {
        this.refuse(
          channel,
          SubscriptionErrorType.LimitReached,
          `Presence channel is full (${max} members)`,
          SubscriptionErrorStatus.OverCapacity,
        );
        return undefined;
      }
    }
    const joined = await adapter.addMember(this.app.id, channel, this.recipient.socketId, member);
    if (joined.transition) {
      await adapter.publish({
        kind: 'channel',
        appId: this.app.id,
        channel,
        frame: encodeFrame({
          event: PusherEvent.MemberAdded,
          channel,
          data: { user_id: member.user_id, user_info: member.user_info },
        }),
        exceptSocketId: this.recipient.socketId,
      });
    }
    return { member, firstJoin: joined.transition };
  }

  /** `subscription_succeeded` (with the presence snapshot), then the cached event or `cache_miss`. */
  private async acknowledge(joined: SubscribedChannel): Promise<void> {
    const { adapter } = this.services;
    const channel = joined.info.name;
    if (joined.member !== undefined) {
      const members = await adapter.members(this.app.id, channel);
      this.recipient.send(
        encodeFrame({ event: PusherEvent.SubscriptionSucceeded, channel, data: presenceSnapshot(members) }),
      );
    } else {
      this.succeeded(channel);
    }
    if (!joined.info.cache) return;
    const cached = await adapter.getCache(this.app.id, channel);
    if (cached !== undefined) {
      this.recipient.send(cached.frame);
      return;
    }
    this.recipient.send(encodeFrame({ event: PusherEvent.CacheMiss, channel }));
    this.services.events.emit('cache_miss', { app: this.app, channel });
  }

  private succeeded(channel: string): void {
    this.recipient.send(encodeFrame({ event: PusherEvent.SubscriptionSucceeded, channel, data: {} }));
  }

  private refuse(channel: string, type: string, error: string, status: number): void {
    const data: SubscriptionErrorData = { type, error, status };
    this.recipient.send(encodeFrame({ event: PusherEvent.SubscriptionError, channel, data }));
  }
}
