import type { AdapterMessage } from './adapter.js';

/**
 * One pub/sub message carries one or more records, back to back. A record is a small JSON header, a
 * newline, then the frame exactly as `encodeFrame` made it, so the frame is neither re-encoded nor escaped
 * on its way between nodes. The header gives the frame's length, so records need no separator and a
 * frame may hold any character; a header without a length is the last record (its frame runs to the end).
 */
interface Header {
  /** The node that published (it delivered locally already and skips its own message). */
  o: string;
  k: AdapterMessage['kind'];
  a: string;
  /** Channel name or user id. */
  t: string;
  /** The frame's length in UTF-16 code units (what `String.prototype.length` counts). */
  l?: number;
  x?: string;
  i?: string;
  n?: number;
}

export interface RedisEnvelope {
  origin: string;
  message: AdapterMessage;
}

const SEPARATOR = '\n';

/** One record; records of one node may be concatenated into one pub/sub message. */
export function encodeRedisEnvelope(origin: string, message: AdapterMessage): string {
  switch (message.kind) {
    case 'terminate-user':
      return (
        JSON.stringify({
          o: origin,
          k: message.kind,
          a: message.appId,
          t: message.userId,
          l: 0,
        } satisfies Header) + SEPARATOR
      );
    case 'channel':
    case 'user': {
      const header: Header = {
        o: origin,
        k: message.kind,
        a: message.appId,
        t: message.kind === 'channel' ? message.channel : message.userId,
        l: message.frame.length,
      };
      if (message.exceptSocketId !== undefined) header.x = message.exceptSocketId;
      if (message.id !== undefined) header.i = message.id;
      if (message.offset !== undefined) header.n = message.offset;
      return JSON.stringify(header) + SEPARATOR + message.frame;
    }
  }
}

type Decoded = { envelope: RedisEnvelope; end: number } | undefined;

/** The record starting at `start`; undefined when it is malformed. */
function decodeRecord(raw: string, start: number): Decoded {
  const at = raw.indexOf(SEPARATOR, start);
  if (at < 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.slice(start, at));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const header = parsed as Partial<Record<keyof Header, unknown>>;
  const { o, k, a, t, l, x, i, n } = header;
  if (typeof o !== 'string' || typeof a !== 'string' || typeof t !== 'string') return undefined;
  if (x !== undefined && typeof x !== 'string') return undefined;
  const frameStart = at + 1;
  let end = raw.length;
  if (l !== undefined) {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || frameStart + l > raw.length)
      return undefined;
    end = frameStart + l;
  }
  const frame = raw.slice(frameStart, end);
  const extra = {
    ...(typeof x === 'string' ? { exceptSocketId: x } : {}),
    ...(typeof i === 'string' ? { id: i } : {}),
    ...(typeof n === 'number' ? { offset: n } : {}),
  };
  switch (k) {
    case 'channel':
      return {
        envelope: { origin: o, message: { kind: 'channel', appId: a, channel: t, frame, ...extra } },
        end,
      };
    case 'user':
      return {
        envelope: { origin: o, message: { kind: 'user', appId: a, userId: t, frame, ...extra } },
        end,
      };
    case 'terminate-user':
      return { envelope: { origin: o, message: { kind: 'terminate-user', appId: a, userId: t } }, end };
    default:
      return undefined;
  }
}

/**
 * Decodes every record of a pub/sub message, in order. Anything malformed (another program on the
 * channel) makes the whole message undefined, never a throw, and never a partial delivery.
 */
export function decodeRedisEnvelopes(raw: string): RedisEnvelope[] | undefined {
  const envelopes: RedisEnvelope[] = [];
  let start = 0;
  do {
    const record = decodeRecord(raw, start);
    if (record === undefined) return undefined;
    envelopes.push(record.envelope);
    start = record.end;
  } while (start < raw.length);
  return envelopes;
}
