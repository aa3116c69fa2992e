import type { PresenceMember } from '@tether/protocol';
import type { RedisKeys } from './redis-keys.js';

/**
 * What one node registered in Redis, one entry per subscription or presence connection. The entry's
 * string form (a JSON array naming the keys it touched, see redis-scripts.ts) is what the node's
 * `entries` set holds; the same registration always gives the same string.
 */
export type StoredEntry =
  | { kind: 's'; subscribers: string; channelIndex: string; channel: string; socketId: string }
  | {
      kind: 'p';
      sockets: string;
      counts: string;
      members: string;
      socketId: string;
      appId: string;
      channel: string;
    };
export type SubscriptionEntry = Extract<StoredEntry, { kind: 's' }>;
export type PresenceEntry = Extract<StoredEntry, { kind: 'p' }>;

export function subscriptionEntry(
  keys: RedisKeys,
  appId: string,
  channel: string,
  socketId: string,
): SubscriptionEntry {
  return {
    kind: 's',
    subscribers: keys.subscribers(appId, channel),
    channelIndex: keys.channelIndex(appId),
    channel,
    socketId,
  };
}

export function presenceEntry(
  keys: RedisKeys,
  appId: string,
  channel: string,
  socketId: string,
): PresenceEntry {
  return {
    kind: 'p',
    sockets: keys.presenceSockets(appId, channel),
    counts: keys.presenceCounts(appId, channel),
    members: keys.presenceMembers(appId, channel),
    socketId,
    appId,
    channel,
  };
}

/** The string stored in Redis for an entry. */
export function entryString(entry: StoredEntry): string {
  return entry.kind === 's'
    ? JSON.stringify(['s', entry.subscribers, entry.channelIndex, entry.channel, entry.socketId])
    : JSON.stringify([
        'p',
        entry.sockets,
        entry.counts,
        entry.members,
        entry.socketId,
        entry.appId,
        entry.channel,
      ]);
}

/** Reads a stored entry back; undefined when malformed (never a throw). */
export function parseEntry(raw: string): StoredEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === 'string'))
    return undefined;
  const [kind, a = '', b = '', c = '', d = '', e = '', f = ''] = parsed;
  if (kind === 's' && parsed.length === 5)
    return { kind, subscribers: a, channelIndex: b, channel: c, socketId: d };
  if (kind === 'p' && parsed.length === 7)
    return { kind, sockets: a, counts: b, members: c, socketId: d, appId: e, channel: f };
  return undefined;
}

/** A stored member JSON, or undefined when it is not one (never a throw). */
export function parseMember(raw: string): PresenceMember | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as { user_id?: unknown; user_info?: unknown };
  if (typeof record.user_id !== 'string') return undefined;
  return record.user_info === undefined
    ? { user_id: record.user_id }
    : { user_id: record.user_id, user_info: record.user_info };
}
