import { fail, ok, type Result } from './errors.js';
import type { PresenceSnapshot } from './frames.js';
import { utf8Length } from './utf8-length.js';
import { parseJsonSafely } from './safe-json.js';

/** Presence limits (spec §5.7): Pusher's numbers. */
export interface PresenceLimits {
  maxMembers: number;
  maxUserIdLength: number;
  maxUserInfoBytes: number;
}

export const presenceLimitsDefaults = {
  maxMembers: 100,
  maxUserIdLength: 128,
  maxUserInfoBytes: 1024,
} as const satisfies PresenceLimits;

export interface PresenceMember {
  /** Always a string: numeric ids from channel_data become their decimal form. */
  user_id: string;
  user_info?: unknown;
}

function userIdOf(value: unknown, maxLength: number): Result<string> {
  let id: string;
  if (typeof value === 'string') id = value;
  else if (typeof value === 'number' && Number.isFinite(value)) id = String(value);
  else return fail('invalid_data', 'user_id must be a string or a number');
  if (id.length === 0) return fail('invalid_data', 'user_id must not be empty');
  if (id.length > maxLength) return fail('invalid_data', `user_id longer than ${maxLength} characters`);
  return ok(id);
}

/** Parses a presence subscription's `channel_data` JSON string. Never throws. */
export function parsePresenceChannelData(
  raw: unknown,
  limits: Partial<PresenceLimits> = {},
): Result<PresenceMember> {
  if (typeof raw !== 'string') return fail('invalid_data', 'channel_data must be a JSON string');
  const parsed = parseJsonSafely(raw);
  if (!parsed.ok) return parsed;
  const data = parsed.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('invalid_data', 'channel_data must be a JSON object');
  }
  const record = data as Record<string, unknown>;
  const id = userIdOf(record.user_id, limits.maxUserIdLength ?? presenceLimitsDefaults.maxUserIdLength);
  if (!id.ok) return id;
  const member: PresenceMember = { user_id: id.value };
  if (record.user_info !== undefined) {
    const max = limits.maxUserInfoBytes ?? presenceLimitsDefaults.maxUserInfoBytes;
    if (utf8Length(JSON.stringify(record.user_info)) > max) {
      return fail('invalid_data', `user_info larger than ${max} bytes`);
    }
    member.user_info = record.user_info;
  }
  return ok(member);
}

export interface SigninUser {
  id: string;
  /** The whole user_data object, for watchlists and app fields. */
  data: Record<string, unknown>;
  watchlist: string[];
}

/** Parses `pusher:signin`'s `user_data` JSON string: an object with a non-empty string `id`. */
export function parseUserData(raw: unknown, limits: Partial<PresenceLimits> = {}): Result<SigninUser> {
  if (typeof raw !== 'string') return fail('invalid_data', 'user_data must be a JSON string');
  const parsed = parseJsonSafely(raw);
  if (!parsed.ok) return parsed;
  const data = parsed.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('invalid_data', 'user_data must be a JSON object');
  }
  const record = data as Record<string, unknown>;
  const id = record.id;
  const maxLength = limits.maxUserIdLength ?? presenceLimitsDefaults.maxUserIdLength;
  if (typeof id !== 'string' || id.length === 0)
    return fail('invalid_data', 'user_data.id must be a non-empty string');
  if (id.length > maxLength) return fail('invalid_data', `user_data.id longer than ${maxLength} characters`);
  const watchlist = Array.isArray(record.watchlist)
    ? record.watchlist.filter((entry): entry is string => typeof entry === 'string')
    : [];
  return ok({ id, data: record, watchlist });
}

/** The `subscription_succeeded` payload of a presence channel from its members, one entry per user. */
export function presenceSnapshot(members: Iterable<PresenceMember>): PresenceSnapshot {
  const ids: string[] = [];
  const hash: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const member of members) {
    if (Object.prototype.hasOwnProperty.call(hash, member.user_id)) continue;
    ids.push(member.user_id);
    hash[member.user_id] = member.user_info ?? null;
  }
  return { presence: { ids, hash, count: ids.length } };
}
