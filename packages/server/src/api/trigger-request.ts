import {
  fitsInBytes,
  isReservedEventName,
  isValidSocketId,
  parseChannelName,
  type ChannelInfo,
} from '@tether/protocol';
import type { AppConfig } from '../app-config.js';
import type { ApiTriggerEvent } from './api-backend.js';
import { apiFail, apiOk, ApiStatus, type ApiResult } from './api-errors.js';
import { infoAttributesAllowed, parseInfoAttributes, type InfoAttribute } from './info-attributes.js';

/**
 * Validation of `POST /apps/:id/events` and `/batch_events` bodies (spec §6.4), against the app's limits.
 * Pure: the router parses the JSON and hands the value in; nothing is published unless all of it is valid.
 */

/** `POST /events`: one event published to each of its channels. */
export interface EventsRequest {
  /** One entry per unique channel, in request order. */
  events: ApiTriggerEvent[];
  channels: ChannelInfo[];
  info: ReadonlySet<InfoAttribute>;
}

/** One item of `POST /batch_events`. */
export interface BatchItem {
  event: ApiTriggerEvent;
  channel: ChannelInfo;
  info: ReadonlySet<InfoAttribute>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface EventFields {
  name: string;
  data: string;
  socketId: string | undefined;
  info: ReadonlySet<InfoAttribute>;
}

function parseEventFields(
  raw: Record<string, unknown>,
  app: AppConfig,
  where: string,
): ApiResult<EventFields> {
  const { name, data } = raw;
  if (typeof name !== 'string' || name.length === 0)
    return apiFail(ApiStatus.BadRequest, `${where}name must be a non-empty string`);
  if (name.length > app.maxEventNameLength) {
    return apiFail(
      ApiStatus.BadRequest,
      `${where}event name is longer than ${app.maxEventNameLength} characters`,
    );
  }
  if (isReservedEventName(name))
    return apiFail(
      ApiStatus.BadRequest,
      `${where}event names starting "pusher:" or "pusher_internal:" are reserved`,
    );
  if (typeof data !== 'string')
    return apiFail(ApiStatus.BadRequest, `${where}data must be a string (JSON-encode objects first)`);
  if (!fitsInBytes(data, app.maxEventPayloadBytes)) {
    return apiFail(
      ApiStatus.PayloadTooLarge,
      `${where}data is larger than ${app.maxEventPayloadBytes} bytes`,
    );
  }
  const socketId = raw.socket_id ?? undefined;
  if (socketId !== undefined && !isValidSocketId(socketId)) {
    return apiFail(ApiStatus.BadRequest, `${where}socket_id must look like "1234.5678"`);
  }
  const info = parseInfoAttributes(raw.info, infoAttributesAllowed.trigger);
  if (!info.ok) return apiFail(info.failure.status, `${where}${info.failure.error}`);
  return apiOk({ name, data, socketId, info: info.value });
}

function parseChannel(name: unknown, app: AppConfig, where: string): ApiResult<ChannelInfo> {
  const parsed = parseChannelName(name, {
    maxLength: app.maxChannelNameLength,
    strict: app.strictChannelNames,
  });
  if (!parsed.ok) return apiFail(ApiStatus.BadRequest, `${where}${parsed.error.message}`);
  return apiOk(parsed.value);
}

const triggerEvent = (fields: EventFields, channel: string): ApiTriggerEvent => {
  const event: ApiTriggerEvent = { channel, name: fields.name, data: fields.data };
  if (fields.socketId !== undefined) event.socketId = fields.socketId;
  return event;
};

/** `{name, data, channels:[…] | channel, socket_id?, info?}`. */
export function parseEventsRequest(body: unknown, app: AppConfig): ApiResult<EventsRequest> {
  if (!isRecord(body)) return apiFail(ApiStatus.BadRequest, 'body must be a JSON object');
  const fields = parseEventFields(body, app, '');
  if (!fields.ok) return fields;

  let names: unknown[];
  if (body.channels !== undefined) {
    if (!Array.isArray(body.channels))
      return apiFail(ApiStatus.BadRequest, 'channels must be an array of channel names');
    names = body.channels;
  } else if (body.channel !== undefined) names = [body.channel];
  else return apiFail(ApiStatus.BadRequest, 'channels (or channel) is required');
  if (names.length === 0) return apiFail(ApiStatus.BadRequest, 'channels must not be empty');
  if (names.length > app.maxEventChannelsAtOnce) {
    return apiFail(
      ApiStatus.BadRequest,
      `at most ${app.maxEventChannelsAtOnce} channels may be triggered at once`,
    );
  }

  const channels: ChannelInfo[] = [];
  const seen = new Set<string>();
  for (const [index, name] of names.entries()) {
    const channel = parseChannel(name, app, `channels[${index}]: `);
    if (!channel.ok) return channel;
    if (seen.has(channel.value.name)) continue;
    seen.add(channel.value.name);
    channels.push(channel.value);
  }
  return apiOk({
    events: channels.map((channel) => triggerEvent(fields.value, channel.name)),
    channels,
    info: fields.value.info,
  });
}

/** `{batch:[{channel, name, data, socket_id?, info?}, …]}`. */
export function parseBatchRequest(body: unknown, app: AppConfig): ApiResult<BatchItem[]> {
  if (!isRecord(body)) return apiFail(ApiStatus.BadRequest, 'body must be a JSON object');
  const { batch } = body;
  if (!Array.isArray(batch)) return apiFail(ApiStatus.BadRequest, 'batch must be an array of events');
  if (batch.length > app.maxEventBatchSize) {
    return apiFail(ApiStatus.BadRequest, `at most ${app.maxEventBatchSize} events may be sent in one batch`);
  }
  const items: BatchItem[] = [];
  for (const [index, raw] of batch.entries()) {
    const where = `batch[${index}]: `;
    if (!isRecord(raw)) return apiFail(ApiStatus.BadRequest, `${where}each event must be a JSON object`);
    const fields = parseEventFields(raw, app, where);
    if (!fields.ok) return fields;
    const channel = parseChannel(raw.channel, app, where);
    if (!channel.ok) return channel;
    items.push({
      event: triggerEvent(fields.value, channel.value.name),
      channel: channel.value,
      info: fields.value.info,
    });
  }
  return apiOk(items);
}
