import type { AppConfig } from '../app-config.js';
import { hmacSha256Hex } from '../auth/api-signature.js';

/**
 * The webhook body and headers (spec §6.5), exactly as the official SDK's `webhook().isValid()` checks them.
 * Only servers read webhooks, so the shapes live here rather than in protocol.
 */

export const WebhookEventName = {
  ChannelOccupied: 'channel_occupied',
  ChannelVacated: 'channel_vacated',
  MemberAdded: 'member_added',
  MemberRemoved: 'member_removed',
  ClientEvent: 'client_event',
  CacheMiss: 'cache_miss',
  SubscriptionCount: 'subscription_count',
} as const;
export type WebhookEventName = (typeof WebhookEventName)[keyof typeof WebhookEventName];

export type WebhookEvent =
  | { name: typeof WebhookEventName.ChannelOccupied; channel: string }
  | { name: typeof WebhookEventName.ChannelVacated; channel: string }
  | { name: typeof WebhookEventName.MemberAdded; channel: string; user_id: string }
  | { name: typeof WebhookEventName.MemberRemoved; channel: string; user_id: string }
  | {
      name: typeof WebhookEventName.ClientEvent;
      channel: string;
      event: string;
      data: string;
      socket_id: string;
      user_id?: string;
    }
  | { name: typeof WebhookEventName.CacheMiss; channel: string }
  | { name: typeof WebhookEventName.SubscriptionCount; channel: string; subscription_count: number };

/** `Content-Type` must be exactly this: the SDK compares the whole header value. */
export const WEBHOOK_CONTENT_TYPE = 'application/json';

export const webhookBody = (timeMs: number, events: readonly WebhookEvent[]): string =>
  JSON.stringify({ time_ms: timeMs, events });

/** `X-Pusher-Key`, `X-Pusher-Signature` = hex HMAC-SHA256(secret, raw body), and the content type. */
export const webhookHeaders = (
  app: Pick<AppConfig, 'key' | 'secret'>,
  body: string,
): Record<string, string> => ({
  'Content-Type': WEBHOOK_CONTENT_TYPE,
  'X-Pusher-Key': app.key,
  'X-Pusher-Signature': hmacSha256Hex(app.secret, body),
});

/** Client event data travels as a string, as the client sent it or JSON-encoded. */
export const clientEventData = (data: unknown): string =>
  typeof data === 'string' ? data : (JSON.stringify(data) ?? 'null');
