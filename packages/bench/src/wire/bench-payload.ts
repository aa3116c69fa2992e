import { encodeFrame } from '@tether/protocol';

/**
 * The message every target carries: an app event whose `data` is a small JSON string holding a
 * sequence number, the publisher's send time (generator-process `performance.now()`, ms) and padding.
 * The padding is chosen so the Pusher-shaped frame a subscriber receives is {@link payloadDefaults}
 * `.frameBytes` long on every target, whatever its channel and event names.
 */
export const payloadDefaults = {
  frameBytes: 100,
  /** Decimals kept of the send time: microseconds. */
  timeDecimals: 3,
} as const;

export interface PayloadShape {
  channel: string;
  event: string;
}

const body = (seq: number, sentAt: number, pad: string): string =>
  JSON.stringify({ s: seq, t: Number(sentAt.toFixed(payloadDefaults.timeDecimals)), p: pad });

/** Builds payloads of a constant frame size for one channel and event. */
export function createPayloadFactory(
  shape: PayloadShape,
  frameBytes: number = payloadDefaults.frameBytes,
): (seq: number, sentAt: number) => string {
  // Size a representative frame (6-digit sequence, 7-digit time) and pad the rest with 'x'.
  const probe = encodeFrame({
    event: shape.event,
    channel: shape.channel,
    data: body(100_000, 1_000_000.123, ''),
  });
  const pad = 'x'.repeat(Math.max(0, frameBytes - probe.length));
  return (seq, sentAt) => body(seq, sentAt, pad);
}

/**
 * True for a frame that carries an app event rather than a protocol event: every protocol event name
 * begins `pusher` and sits right after `{"event":"`. Cheap enough to run on every delivery.
 */
const EVENT_NAME_OFFSET = '{"event":"'.length;
export const isAppEventFrame = (frame: string): boolean =>
  frame.startsWith('{"event":"') && !frame.startsWith('pusher', EVENT_NAME_OFFSET);

/** The send time carried in a payload or in a frame that holds it (escaped or not); NaN when absent. */
const SENT_AT = /"t\\?":(\d+(?:\.\d+)?)/;
export function readSentAt(text: string): number {
  const match = SENT_AT.exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}
