import { channelKind, encodeFrame } from '@tether/protocol';
import type { Adapter } from '../adapters/adapter.js';
import type { AppConfig } from '../app-config.js';
import type { Clock } from '../clock.js';

export interface ChannelEvent {
  channel: string;
  event: string;
  /** A string passes through verbatim (HTTP API); anything else is JSON-encoded once. */
  data: unknown;
  /** Presence client events: the sender's user id. */
  userId?: string;
  /** This connection does not get the event (client-event sender, API `socket_id`). */
  exceptSocketId?: string;
}

const MS_PER_SECOND = 1000;

/**
 * Encodes a channel event once and hands it to the adapter for every node; on a cache channel the
 * same encoded frame is stored for later subscribers.
 */
export async function publishChannelEvent(
  adapter: Adapter,
  clock: Clock,
  app: AppConfig,
  event: ChannelEvent,
): Promise<void> {
  const frame = encodeFrame({
    event: event.event,
    channel: event.channel,
    data: event.data,
    ...(event.userId !== undefined ? { user_id: event.userId } : {}),
  });
  if (channelKind(event.channel).cache) {
    const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
    await adapter.setCache(app.id, event.channel, {
      frame,
      data,
      expiresAt: clock.now() + app.cacheTtlSeconds * MS_PER_SECOND,
    });
  }
  await adapter.publish({
    kind: 'channel',
    appId: app.id,
    channel: event.channel,
    frame,
    ...(event.exceptSocketId !== undefined ? { exceptSocketId: event.exceptSocketId } : {}),
  });
}
