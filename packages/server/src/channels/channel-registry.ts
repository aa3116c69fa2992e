import type { ChannelInfo } from '@tether/protocol';
import type { AdapterMessage } from '../adapters/adapter.js';
import type { LocalRecipient } from './local-recipient.js';

/** One channel's local subscribers, and its parsed name: one copy per channel, shared by all of them. */
interface LocalChannel {
  readonly info: ChannelInfo;
  readonly recipients: Set<LocalRecipient>;
}

/**
 * This node's sockets by channel and by signed-in user, per app. The adapter owns cluster-wide state;
 * this registry only answers "which local connections get this message".
 */
export class ChannelRegistry {
  private readonly channels = new Map<string, LocalChannel>();
  private readonly users = new Map<string, Set<LocalRecipient>>();

  /**
   * Adds a local subscriber. Returns the channel's info as the registry holds it (equal to `info`): a
   * session keeps that one, so a channel's name and info exist once per node, not once per connection.
   */
  addToChannel(appId: string, info: ChannelInfo, recipient: LocalRecipient): ChannelInfo {
    const key = keyOf(appId, info.name);
    let channel = this.channels.get(key);
    if (channel === undefined) {
      channel = { info, recipients: new Set() };
      this.channels.set(key, channel);
    }
    channel.recipients.add(recipient);
    return channel.info;
  }

  removeFromChannel(appId: string, channel: string, recipient: LocalRecipient): void {
    const key = keyOf(appId, channel);
    const recipients = this.channels.get(key)?.recipients;
    if (recipients === undefined) return;
    recipients.delete(recipient);
    if (recipients.size === 0) this.channels.delete(key);
  }

  addUser(appId: string, userId: string, recipient: LocalRecipient): void {
    addTo(this.users, keyOf(appId, userId), recipient);
  }

  removeUser(appId: string, userId: string, recipient: LocalRecipient): void {
    removeFrom(this.users, keyOf(appId, userId), recipient);
  }

  /** Local subscribers of a channel (for tests and queries). */
  localSubscriberCount(appId: string, channel: string): number {
    return this.channels.get(keyOf(appId, channel))?.recipients.size ?? 0;
  }

  /** Hands one adapter message to the local connections it is meant for; the frame is never re-encoded. */
  deliver(message: AdapterMessage): void {
    switch (message.kind) {
      case 'channel':
        sendAll(
          this.channels.get(keyOf(message.appId, message.channel))?.recipients,
          message.frame,
          message.exceptSocketId,
        );
        return;
      case 'user':
        sendAll(this.users.get(keyOf(message.appId, message.userId)), message.frame, message.exceptSocketId);
        return;
      case 'terminate-user': {
        const recipients = this.users.get(keyOf(message.appId, message.userId));
        if (recipients === undefined) return;
        for (const recipient of [...recipients]) recipient.terminateAsUser();
        return;
      }
    }
  }
}

function sendAll(
  recipients: Set<LocalRecipient> | undefined,
  frame: string,
  except: string | undefined,
): void {
  if (recipients === undefined) return;
  for (const recipient of recipients) {
    if (recipient.socketId !== except) recipient.send(frame);
  }
}

function addTo(map: Map<string, Set<LocalRecipient>>, key: string, recipient: LocalRecipient): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(recipient);
}

function removeFrom(map: Map<string, Set<LocalRecipient>>, key: string, recipient: LocalRecipient): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(recipient);
  if (set.size === 0) map.delete(key);
}

const keyOf = (appId: string, name: string): string => `${appId}\n${name}`;
