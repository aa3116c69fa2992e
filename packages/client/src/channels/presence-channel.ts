import {
  parsePresenceChannelData,
  type PresenceSnapshot,
  type PusherEvent,
  type ServerFrame,
} from '@tether/protocol';
import type { SubscribeAuth } from './channel.js';
import { Members } from './members.js';
import { AUTH_ERROR_TYPE, PrivateChannel } from './private-channel.js';

type Frame<E extends string> = Extract<ServerFrame, { event: E; channel: string }>;

/** HTTP status reported when the endpoint answered 200 but its presence data is unusable. */
const HTTP_OK = 200;

/**
 * A presence channel: members keyed by user id (spec §5.7), `me` from the authorized
 * `channel_data`, `pusher:member_added` / `pusher:member_removed` with the member as context.
 */
export class PresenceChannel extends PrivateChannel {
  readonly members = new Members();

  protected override accept(auth: string, channelData: string | undefined): SubscribeAuth {
    const member = parsePresenceChannelData(channelData);
    if (!member.ok) {
      return {
        ok: false,
        type: AUTH_ERROR_TYPE,
        status: HTTP_OK,
        error: `invalid channel_data: ${member.error.message}`,
      };
    }
    this.members.setMyId(member.value.user_id, member.value.user_info ?? null);
    return { ok: true, auth, channelData: channelData ?? '' };
  }

  protected override applySubscriptionData(
    data: Frame<typeof PusherEvent.SubscriptionSucceeded>['data'],
  ): void {
    const presence = 'presence' in data ? (data as PresenceSnapshot).presence : { hash: {}, count: 0 };
    this.members.applySnapshot(presence.hash, presence.count);
  }

  protected override emitSubscriptionSucceeded(): void {
    this.emit('pusher:subscription_succeeded', {
      event: 'pusher:subscription_succeeded',
      channel: this.name,
      members: this.members,
    });
  }

  protected override handleMemberAdded(frame: Frame<typeof PusherEvent.MemberAdded>): void {
    const member = this.members.add(frame.data.user_id, frame.data.user_info ?? null);
    if (member !== null)
      this.emit('pusher:member_added', { event: 'pusher:member_added', channel: this.name, member });
  }

  protected override handleMemberRemoved(frame: Frame<typeof PusherEvent.MemberRemoved>): void {
    const member = this.members.remove(frame.data.user_id);
    if (member !== null) {
      this.emit('pusher:member_removed', { event: 'pusher:member_removed', channel: this.name, member });
    }
  }

  protected override resetState(): void {
    this.members.reset();
  }
}
