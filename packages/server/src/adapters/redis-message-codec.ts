import type { AdapterMessage } from './adapter.js';

/**
 * One pub/sub message: a small JSON header, a newline, then the frame exactly as `encodeFrame` made it,
 * so the frame is neither re-encoded nor escaped on its way between nodes.
 */
interface Header {
  /** The node that published (it delivered locally already and skips its own message). */
  o: string;
  k: AdapterMessage['kind'];
  a: string;
  /** Channel name or user id. */
  t: string;
  x?: string;
  i?: string;
  n?: number;
}

export interface RedisEnvelope {
  origin: string;
  message: AdapterMessage;
}

const SEPARATOR = '\n';

export function encodeRedisEnvelope(origin: string, message: AdapterMessage): string {
  switch (message.kind) {
    case 'terminate-user':
      return (
        JSON.stringify({ o: origin, k: message.kind, a: message.appId, t: message.userId } satisfies Header) +
        SEPARATOR
      );
    case 'channel':
    case 'user': {
      const header: Header = {
        o: origin,
        k: message.kind,
        a: message.appId,
        t: message.kind === 'channel' ? message.channel : message.userId,
      };
      if (message.exceptSocketId !== undefined) header.x = message.exceptSocketId;
      if (message.id !== undefined) header.i = message.id;
      if (message.offset !== undefined) header.n = message.offset;
      return JSON.stringify(header) + SEPARATOR + message.frame;
    }
  }
}

/** Decodes a pub/sub message; anything malformed (another program on the channel) is undefined, never a throw. */
export function decodeRedisEnvelope(raw: string): RedisEnvelope | undefined {
  const at = raw.indexOf(SEPARATOR);
  if (at < 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.slice(0, at));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const header = parsed as Partial<Record<keyof Header, unknown>>;
  const { o, k, a, t, x, i, n } = header;
  if (typeof o !== 'string' || typeof a !== 'string' || typeof t !== 'string') return undefined;
  if (x !== undefined && typeof x !== 'string') return undefined;
  const frame = raw.slice(at + 1);
  const extra = {
    ...(typeof x === 'string' ? { exceptSocketId: x } : {}),
    ...(typeof i === 'string' ? { id: i } : {}),
    ...(typeof n === 'number' ? { offset: n } : {}),
  };
  switch (k) {
    case 'channel':
      return { origin: o, message: { kind: 'channel', appId: a, channel: t, frame, ...extra } };
    case 'user':
      return { origin: o, message: { kind: 'user', appId: a, userId: t, frame, ...extra } };
    case 'terminate-user':
      return { origin: o, message: { kind: 'terminate-user', appId: a, userId: t } };
    default:
      return undefined;
  }
}
