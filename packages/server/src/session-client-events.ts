import {
  allowsClientEvents,
  ChannelKind,
  CloseCode,
  utf8Length,
  type ClientEventFrame,
} from '@tether/protocol';
import type { AppConfig } from './app-config.js';
import type { SessionChannels } from './channels/session-channels.js';
import { publishChannelEvent } from './channels/publish-channel-event.js';
import type { ClientEventLimiter } from './client-event-limiter.js';
import type { SessionServices } from './session-services.js';

export type ClientEventRejection = { code: number | null; message: string };

/**
 * Relays one `client-*` event (spec §5.6): enabled for the app, private or presence channel, sender
 * subscribed, payload within the limit, within the rate. Never echoed to the sender; presence events
 * carry the sender's user_id. Returns the rejection to send as `pusher:error`, or undefined when relayed.
 */
export async function relayClientEvent(
  services: SessionServices,
  app: AppConfig,
  socketId: string,
  channels: SessionChannels,
  /** Undefined when the app does not limit client events. */
  limiter: ClientEventLimiter | undefined,
  frame: ClientEventFrame,
): Promise<ClientEventRejection | undefined> {
  if (!app.clientEvents) return { code: null, message: 'Client events are disabled for this app' };
  const joined = channels.get(frame.channel);
  if (joined === undefined)
    return { code: null, message: `Subscribe to ${frame.channel} before sending client events to it` };
  if (!allowsClientEvents(joined.info.kind)) {
    return { code: null, message: 'Client events are allowed on private and presence channels only' };
  }
  if (frame.event.length > app.maxEventNameLength) {
    return { code: null, message: `Event name longer than ${app.maxEventNameLength} characters` };
  }
  const size =
    frame.data === undefined
      ? 0
      : utf8Length(typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data));
  if (size > app.maxEventPayloadBytes) {
    return { code: null, message: `Client event data larger than ${app.maxEventPayloadBytes} bytes` };
  }
  if (limiter !== undefined && !limiter.tryTake()) {
    return {
      code: CloseCode.ClientEventRateLimited,
      message: `Client event rejected: more than ${app.maxClientEventsPerSecond} per second`,
    };
  }
  const userId = joined.info.kind === ChannelKind.Presence ? joined.member?.user_id : undefined;
  await publishChannelEvent(services.adapter, services.clock, app, {
    channel: frame.channel,
    event: frame.event,
    data: frame.data,
    exceptSocketId: socketId,
    ...(userId !== undefined ? { userId } : {}),
  });
  services.events.emit('client_event', {
    app,
    channel: frame.channel,
    event: frame.event,
    data: frame.data,
    socketId,
    ...(userId !== undefined ? { userId } : {}),
  });
  return undefined;
}
