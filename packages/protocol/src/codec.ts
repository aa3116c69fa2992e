import { parseChannelName } from './channels.js';
import { protocolError, type ProtocolError, type ProtocolErrorCode } from './errors.js';
import {
  isClientEventName,
  isProtocolEvent,
  PusherEvent,
  type ChannelEventFrame,
  type ClientFrame,
  type RawFrame,
  type ServerFrame,
  type WatchlistEventsData,
} from './frames.js';
import { hasForbiddenKey, parseJsonSafely } from './safe-json.js';
import { fitsInBytes } from './utf8-length.js';

/** Limits applied while decoding untrusted frames. */
export interface DecodeLimits {
  /** UTF-8 bytes of one whole frame. */
  maxFrameBytes: number;
  maxEventNameLength: number;
}

export const decodeLimitsDefaults = {
  maxFrameBytes: 100 * 1024,
  maxEventNameLength: 200,
} as const satisfies DecodeLimits;

export type DecodeResult<T> = { ok: true; frame: T } | { ok: false; error: ProtocolError };

const bad = (code: ProtocolErrorCode, detail?: string): { ok: false; error: ProtocolError } => ({
  ok: false,
  error: protocolError(code, detail),
});
const good = <T>(frame: T): { ok: true; frame: T } => ({ ok: true, frame });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// Encoding

/** JSON-encodes `data` for the server-to-client direction: strings pass through verbatim (spec §5.2). */
const encodeData = (data: unknown): string => (typeof data === 'string' ? data : JSON.stringify(data));

/**
 * Server → client. `data` is double-encoded (a JSON string holding JSON) as pusher-js expects;
 * a string `data` is taken as already encoded and passes through untouched.
 * The result is one string, built once and shared by every recipient.
 */
export function encodeFrame(frame: ServerFrame): string {
  const wire: { event: string; channel?: string; data?: string; user_id?: string } = { event: frame.event };
  if ('channel' in frame) wire.channel = frame.channel;
  if ('data' in frame && frame.data !== undefined) wire.data = encodeData(frame.data);
  if ('user_id' in frame && frame.user_id !== undefined) wire.user_id = frame.user_id;
  return JSON.stringify(wire);
}

/** Client → server: `data` travels as plain JSON, as pusher-js sends it. */
export function encodeClientFrame(frame: ClientFrame): string {
  return JSON.stringify(frame);
}

// ---------------------------------------------------------------------------------------------
// Envelope

/**
 * Decodes the envelope of any frame: text, within the size limit, a JSON object with a string
 * `event`, an optional string `channel` and `user_id`, and `data` of any type. Never throws.
 * `raw` may also be an already-parsed object (HTTP transports that batch frames).
 */
export function decodeFrame(raw: unknown, limits: Partial<DecodeLimits> = {}): DecodeResult<RawFrame> {
  let value: unknown;
  if (typeof raw === 'string') {
    if (!fitsInBytes(raw, limits.maxFrameBytes ?? decodeLimitsDefaults.maxFrameBytes))
      return bad('frame_too_large');
    const parsed = parseJsonSafely(raw);
    if (!parsed.ok) return parsed;
    value = parsed.value;
  } else if (raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) {
    // Checked before isRecord: an ArrayBuffer or typed array is an object too.
    return bad('binary_frame');
  } else if (isRecord(raw)) {
    // An already-parsed object skipped parseJsonSafely, so check it for pollution keys here.
    if (hasForbiddenKey(raw)) return bad('forbidden_key');
    value = raw;
  } else {
    return bad('not_an_object');
  }
  if (!isRecord(value)) return bad('not_an_object');
  const { event, channel, data, user_id } = value;
  if (typeof event !== 'string' || event.length === 0) return bad('missing_event');
  const maxEvent = limits.maxEventNameLength ?? decodeLimitsDefaults.maxEventNameLength;
  if (event.length > maxEvent) return bad('invalid_field', `event name longer than ${maxEvent} characters`);
  if (channel !== undefined && typeof channel !== 'string')
    return bad('invalid_field', 'channel must be a string');
  if (user_id !== undefined && typeof user_id !== 'string')
    return bad('invalid_field', 'user_id must be a string');
  const frame: RawFrame = { event };
  if (channel !== undefined) frame.channel = channel;
  if (data !== undefined) frame.data = data;
  if (user_id !== undefined) frame.user_id = user_id;
  return good(frame);
}

/** Protocol events may carry `data` as an object or as a JSON string; both become an object. */
function dataRecord(data: unknown): Record<string, unknown> | undefined {
  if (data === undefined || data === null || data === '') return {};
  if (isRecord(data)) return data;
  if (typeof data === 'string') {
    const parsed = parseJsonSafely(data);
    if (parsed.ok && isRecord(parsed.value)) return parsed.value;
  }
  return undefined;
}

const optionalString = (value: unknown): value is string | undefined =>
  value === undefined || typeof value === 'string';

// ---------------------------------------------------------------------------------------------
// Client → server (decoded by the server)

/** Decodes and validates a frame a client sent. Never throws. */
export function decodeClientFrame(
  raw: unknown,
  limits: Partial<DecodeLimits> = {},
): DecodeResult<ClientFrame> {
  const envelope = decodeFrame(raw, limits);
  if (!envelope.ok) return envelope;
  const { event, channel, data } = envelope.frame;

  if (isClientEventName(event)) {
    if (channel === undefined) return bad('invalid_field', 'client events need a channel');
    const name = parseChannelName(channel);
    if (!name.ok) return { ok: false, error: name.error };
    return good({ event, channel, data });
  }
  if (!isProtocolEvent(event))
    return bad('unknown_event', 'clients may send only pusher:* and client-* events');

  const record = dataRecord(data);
  if (record === undefined) return bad('invalid_data', `${event} data must be an object`);
  switch (event) {
    case PusherEvent.Ping:
      return good({ event, data: {} });
    case PusherEvent.Pong:
      return good({ event, data: {} });
    case PusherEvent.Subscribe: {
      const { channel: target, auth, channel_data } = record;
      if (typeof target !== 'string' || target.length === 0)
        return bad('invalid_data', 'subscribe needs data.channel');
      if (!optionalString(auth)) return bad('invalid_data', 'data.auth must be a string');
      if (!optionalString(channel_data))
        return bad('invalid_data', 'data.channel_data must be a JSON string');
      return good({
        event,
        data: {
          channel: target,
          ...(auth !== undefined ? { auth } : {}),
          ...(channel_data !== undefined ? { channel_data } : {}),
        },
      });
    }
    case PusherEvent.Unsubscribe: {
      const target = record.channel;
      if (typeof target !== 'string' || target.length === 0)
        return bad('invalid_data', 'unsubscribe needs data.channel');
      return good({ event, data: { channel: target } });
    }
    case PusherEvent.Signin: {
      const { auth, user_data } = record;
      if (typeof auth !== 'string' || typeof user_data !== 'string') {
        return bad('invalid_data', 'signin needs string data.auth and data.user_data');
      }
      return good({ event, data: { auth, user_data } });
    }
    case PusherEvent.ConnectionEstablished:
    case PusherEvent.Error:
    case PusherEvent.SigninSuccess:
    case PusherEvent.SubscriptionSucceeded:
    case PusherEvent.SubscriptionError:
    case PusherEvent.MemberAdded:
    case PusherEvent.MemberRemoved:
    case PusherEvent.SubscriptionCount:
    case PusherEvent.CacheMiss:
    case PusherEvent.WatchlistEvents:
      return bad('unknown_event', `${event} is sent by servers only`);
  }
}

// ---------------------------------------------------------------------------------------------
// Server → client (decoded by the client)

/** App data: a JSON string is parsed when it parses, otherwise kept as the raw string (as pusher-js does). */
function decodeAppData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

const userIdString = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined;

/** Decodes and validates a frame a server sent. Never throws. */
export function decodeServerFrame(
  raw: unknown,
  limits: Partial<DecodeLimits> = {},
): DecodeResult<ServerFrame> {
  const envelope = decodeFrame(raw, limits);
  if (!envelope.ok) return envelope;
  const { event, channel, data, user_id } = envelope.frame;

  if (!isProtocolEvent(event)) {
    if (channel === undefined) return bad('unknown_event', `${event} has no channel`);
    const frame: ChannelEventFrame = { event, channel, data: decodeAppData(data) };
    if (user_id !== undefined) frame.user_id = user_id;
    return good(frame);
  }

  const record = dataRecord(data);
  const needChannel = (): string | undefined =>
    typeof channel === 'string' && channel.length > 0 ? channel : undefined;
  switch (event) {
    case PusherEvent.ConnectionEstablished: {
      const socketId = record?.socket_id;
      const timeout = record?.activity_timeout;
      if (typeof socketId !== 'string' || socketId.length === 0) return bad('invalid_data', 'no socket_id');
      if (typeof timeout !== 'number' || !(timeout > 0))
        return bad('invalid_data', 'activity_timeout must be > 0');
      return good({ event, data: { socket_id: socketId, activity_timeout: timeout } });
    }
    case PusherEvent.Error: {
      const message = typeof record?.message === 'string' ? record.message : '';
      const code = typeof record?.code === 'number' ? record.code : null;
      return good({ event, data: { message, code } });
    }
    case PusherEvent.Ping:
      return good({ event, data: {} });
    case PusherEvent.Pong:
      return good({ event, data: {} });
    case PusherEvent.SigninSuccess: {
      const userData = record?.user_data;
      if (typeof userData !== 'string') return bad('invalid_data', 'signin_success needs a user_data string');
      return good({ event, data: { user_data: userData } });
    }
    case PusherEvent.SubscriptionSucceeded: {
      const target = needChannel();
      if (target === undefined || record === undefined)
        return bad('invalid_data', 'subscription_succeeded needs a channel');
      const presence = record.presence;
      if (isRecord(presence)) {
        const hash = isRecord(presence.hash) ? presence.hash : {};
        const ids = Array.isArray(presence.ids)
          ? presence.ids.map(userIdString).filter((id) => id !== undefined)
          : Object.keys(hash);
        const count = typeof presence.count === 'number' ? presence.count : ids.length;
        return good({ event, channel: target, data: { presence: { ids, hash, count } } });
      }
      return good({ event, channel: target, data: {} });
    }
    case PusherEvent.SubscriptionError: {
      const target = needChannel();
      if (target === undefined) return bad('invalid_data', 'subscription_error needs a channel');
      return good({
        event,
        channel: target,
        data: {
          type: typeof record?.type === 'string' ? record.type : 'AuthError',
          error: typeof record?.error === 'string' ? record.error : '',
          status: typeof record?.status === 'number' ? record.status : 0,
        },
      });
    }
    case PusherEvent.MemberAdded:
    case PusherEvent.MemberRemoved: {
      const target = needChannel();
      const id = userIdString(record?.user_id);
      if (target === undefined || id === undefined)
        return bad('invalid_data', `${event} needs a channel and user_id`);
      if (event === PusherEvent.MemberRemoved) return good({ event, channel: target, data: { user_id: id } });
      return good({ event, channel: target, data: { user_id: id, user_info: record?.user_info } });
    }
    case PusherEvent.SubscriptionCount: {
      const target = needChannel();
      const count = record?.subscription_count;
      if (target === undefined || typeof count !== 'number')
        return bad('invalid_data', 'subscription_count needs a number');
      return good({ event, channel: target, data: { subscription_count: count } });
    }
    case PusherEvent.CacheMiss: {
      const target = needChannel();
      if (target === undefined) return bad('invalid_data', 'cache_miss needs a channel');
      return good({ event, channel: target });
    }
    case PusherEvent.WatchlistEvents: {
      const events = Array.isArray(record?.events) ? record.events : [];
      const parsed = events.filter(isRecord).flatMap((entry): WatchlistEventsData['events'] => {
        const name = entry.name;
        if (name !== 'online' && name !== 'offline') return [];
        const ids = Array.isArray(entry.user_ids)
          ? entry.user_ids.map(userIdString).filter((id) => id !== undefined)
          : [];
        return [{ name, user_ids: ids }];
      });
      return good({ event, data: { events: parsed } });
    }
    case PusherEvent.Subscribe:
    case PusherEvent.Unsubscribe:
    case PusherEvent.Signin:
      return bad('unknown_event', `${event} is sent by clients only`);
  }
}
