import { fail, ok, type Result } from './errors.js';

/** Channel kinds (spec §5.5). Cache variants are the same kinds with `cache: true`. */
export const ChannelKind = {
  Public: 'public',
  Private: 'private',
  PrivateEncrypted: 'private-encrypted',
  Presence: 'presence',
  ServerToUser: 'server-to-user',
} as const;
export type ChannelKind = (typeof ChannelKind)[keyof typeof ChannelKind];

/** Name prefixes, longest first: the first match decides the kind. */
export const CHANNEL_PREFIXES = [
  { prefix: '#server-to-user-', kind: ChannelKind.ServerToUser, cache: false },
  { prefix: 'private-encrypted-cache-', kind: ChannelKind.PrivateEncrypted, cache: true },
  { prefix: 'private-encrypted-', kind: ChannelKind.PrivateEncrypted, cache: false },
  { prefix: 'presence-cache-', kind: ChannelKind.Presence, cache: true },
  { prefix: 'private-cache-', kind: ChannelKind.Private, cache: true },
  { prefix: 'presence-', kind: ChannelKind.Presence, cache: false },
  { prefix: 'private-', kind: ChannelKind.Private, cache: false },
  { prefix: 'cache-', kind: ChannelKind.Public, cache: true },
] as const;

export const SERVER_TO_USER_PREFIX = CHANNEL_PREFIXES[0].prefix;

export interface ChannelNameLimits {
  maxLength: number;
  strictMaxLength: number;
  strict: boolean;
}

export const channelNameLimitsDefaults = {
  /** pusher-http-node and soketi accept 200 characters. */
  maxLength: 200,
  /** Pusher's documented limit, enforced only in strict mode. */
  strictMaxLength: 164,
  strict: false,
} as const satisfies ChannelNameLimits;

const ALLOWED = /^[A-Za-z0-9_\-=@,.;]+$/;

export interface ChannelInfo {
  name: string;
  kind: ChannelKind;
  cache: boolean;
}

/** The kind of a channel name, without validating it. */
export function channelKind(name: string): { kind: ChannelKind; cache: boolean } {
  for (const entry of CHANNEL_PREFIXES) {
    if (name.startsWith(entry.prefix)) return { kind: entry.kind, cache: entry.cache };
  }
  return { kind: ChannelKind.Public, cache: false };
}

/** Validates a channel name (characters, length, reserved `#`) and classifies it. Never throws. */
export function parseChannelName(
  name: unknown,
  limits: Partial<ChannelNameLimits> = {},
): Result<ChannelInfo> {
  if (typeof name !== 'string' || name.length === 0)
    return fail('invalid_channel', 'channel name must be a non-empty string');
  const strict = limits.strict ?? channelNameLimitsDefaults.strict;
  const max = strict
    ? (limits.strictMaxLength ?? channelNameLimitsDefaults.strictMaxLength)
    : (limits.maxLength ?? channelNameLimitsDefaults.maxLength);
  if (name.length > max) return fail('invalid_channel', `channel name longer than ${max} characters`);
  const { kind, cache } = channelKind(name);
  const checked = kind === ChannelKind.ServerToUser ? name.slice(SERVER_TO_USER_PREFIX.length) : name;
  if (!ALLOWED.test(checked)) {
    return fail('invalid_channel', 'channel names may contain only A-Z a-z 0-9 _ - = @ , . ;');
  }
  return ok({ name, kind, cache });
}

/** Private, encrypted and presence channels need a signed `auth` to subscribe. */
export const requiresAuth = (kind: ChannelKind): boolean =>
  kind === ChannelKind.Private || kind === ChannelKind.PrivateEncrypted || kind === ChannelKind.Presence;

/** Client events are allowed on private and presence channels only (spec §5.6). */
export const allowsClientEvents = (kind: ChannelKind): boolean =>
  kind === ChannelKind.Private || kind === ChannelKind.Presence;

/** Clients may not subscribe to internal channels themselves; the server routes them. */
export const isSubscribable = (kind: ChannelKind): boolean => kind !== ChannelKind.ServerToUser;

export const serverToUserChannel = (userId: string): string => `${SERVER_TO_USER_PREFIX}${userId}`;
