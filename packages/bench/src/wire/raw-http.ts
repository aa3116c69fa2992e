/**
 * The routes of the raw HTTP baselines (raw SSE and raw long-poll servers) and their publish body,
 * both directions in one place. Tether's own wire shapes come from @tether/protocol; this is only
 * the baselines' tiny API:
 *
 *   GET  /sse?channel=C                    SSE stream; first event: subscription_succeeded
 *   GET  /long-poll/open?channel=C         LongPollBatch: the channel's cursor + subscription_succeeded
 *   GET  /long-poll?channel=C&cursor=N     held until the channel has frames at or after N
 *   POST /publish                          {"channel":…,"event":…,"data":"…"}
 */
export const RawHttpPath = {
  Sse: '/sse',
  LongPollOpen: '/long-poll/open',
  LongPoll: '/long-poll',
  Publish: '/publish',
} as const;

export const RAW_CHANNEL_PARAM = 'channel' as const;
export const RAW_CURSOR_PARAM = 'cursor' as const;
/** The `session` of a raw long-poll batch: the raw server has no sessions. */
export const RAW_LONG_POLL_SESSION = 'raw' as const;

export interface RawPublish {
  channel: string;
  event: string;
  data: string;
}

export const encodeRawPublish = (publish: RawPublish): string => JSON.stringify(publish);

/** Parses a publish body; null for anything malformed. Never throws. */
export function decodeRawPublish(raw: string): RawPublish | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { channel, event, data } = value as Record<string, unknown>;
  if (typeof channel !== 'string' || typeof event !== 'string' || typeof data !== 'string') return null;
  return { channel, event, data };
}
