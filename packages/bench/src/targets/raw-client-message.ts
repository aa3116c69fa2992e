import { PusherEvent } from '@tether/protocol';

/** What a raw baseline server understands of a client frame: a subscribe or a publish. */
export type RawClientMessage =
  { type: 'subscribe'; channel: string } | { type: 'publish'; channel: string; event: string; data: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * A raw server's own minimal reading of a Pusher-shaped client frame: `JSON.parse` and two field
 * checks, as a hand-written server would do it. Null for anything else. Never throws.
 */
export function parseRawClientMessage(text: string): RawClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.event !== 'string') return null;
  if (value.event === PusherEvent.Subscribe) {
    const channel = isRecord(value.data) ? value.data.channel : undefined;
    return typeof channel === 'string' ? { type: 'subscribe', channel } : null;
  }
  if (typeof value.channel === 'string' && typeof value.data === 'string') {
    return { type: 'publish', channel: value.channel, event: value.event, data: value.data };
  }
  return null;
}
