import { ChannelKind, parseChannelName } from '@tether/protocol';
import { TetherError } from '../client-errors.js';
import { Channel, type ChannelHost } from './channel.js';
import { PresenceChannel } from './presence-channel.js';
import { PrivateChannel } from './private-channel.js';

/** The channels a client has asked for, by name, each of the class its name prefix implies (spec §5.5). */
export class ChannelRegistry {
  readonly #channels = new Map<string, Channel>();
  readonly #host: ChannelHost;

  constructor(host: ChannelHost) {
    this.#host = host;
  }

  /** Returns the existing channel, or creates one. Throws `TetherError` for a name no server accepts. */
  add(name: string): Channel {
    const existing = this.#channels.get(name);
    if (existing !== undefined) return existing;
    const channel = this.#create(name);
    this.#channels.set(name, channel);
    return channel;
  }

  #create(name: string): Channel {
    const parsed = parseChannelName(name);
    if (!parsed.ok) throw new TetherError('invalid_channel_name', `${parsed.error.message}: "${name}"`);
    const { kind } = parsed.value;
    switch (kind) {
      case ChannelKind.Public:
        return new Channel(name, kind, this.#host);
      case ChannelKind.Private:
        return new PrivateChannel(name, kind, this.#host);
      case ChannelKind.Presence:
        return new PresenceChannel(name, kind, this.#host);
      case ChannelKind.PrivateEncrypted:
        throw new TetherError(
          'unsupported_channel',
          `"${name}": private-encrypted- channels need end-to-end decryption, not included here`,
        );
      case ChannelKind.ServerToUser:
        throw new TetherError(
          'invalid_channel_name',
          `"${name}" is internal: use tether.signin() and tether.user.bind()`,
        );
    }
  }

  find(name: string): Channel | undefined {
    return this.#channels.get(name);
  }

  remove(name: string): Channel | undefined {
    const channel = this.#channels.get(name);
    this.#channels.delete(name);
    return channel;
  }

  all(): Channel[] {
    return [...this.#channels.values()];
  }
}
