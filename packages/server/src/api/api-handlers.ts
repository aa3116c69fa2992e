import {
  ChannelKind,
  channelKind,
  parseChannelName,
  parseJsonSafely,
  presenceLimitsDefaults,
  type ChannelInfo,
} from '@tether/protocol';
import type { AppConfig } from '../app-config.js';
import type { ApiQuery } from '../auth/api-signature.js';
import type { ApiBackend } from './api-backend.js';
import { apiFail, apiOk, ApiStatus, type ApiResult } from './api-errors.js';
import { emptyApiBody } from './api-response.js';
import {
  channelAttributes,
  checkAttributesApply,
  InfoAttribute,
  infoAttributesAllowed,
  parseInfoAttributes,
  type ChannelAttributes,
} from './info-attributes.js';
import { parseBatchRequest, parseEventsRequest } from './trigger-request.js';

/**
 * The HTTP API endpoints (spec §6.4) as plain async functions of an already authenticated request:
 * no express here, so each is unit-tested against a fake backend.
 */

/** A request that passed app lookup and signature verification. */
export interface ApiRequestContext {
  backend: ApiBackend;
  app: AppConfig;
  /** Decoded query parameters (including the auth_* ones). */
  query: ApiQuery;
  /** Decoded route parameters. */
  params: Readonly<Record<string, string | undefined>>;
  /** Raw body bytes, already matched against body_md5. */
  body: Buffer;
}

export type ApiHandler = (context: ApiRequestContext) => Promise<ApiResult<object>>;

function parseJsonBody(body: Buffer): ApiResult<unknown> {
  if (body.length === 0) return apiFail(ApiStatus.BadRequest, 'a JSON body is required');
  const parsed = parseJsonSafely(body.toString('utf8'));
  if (!parsed.ok) return apiFail(ApiStatus.BadRequest, `body is not valid JSON: ${parsed.error.message}`);
  return apiOk(parsed.value);
}

function parseRouteChannel(context: ApiRequestContext): ApiResult<ChannelInfo> {
  const { app } = context;
  const parsed = parseChannelName(context.params.name, {
    maxLength: app.maxChannelNameLength,
    strict: app.strictChannelNames,
  });
  if (!parsed.ok) return apiFail(ApiStatus.BadRequest, parsed.error.message);
  if (parsed.value.kind === ChannelKind.ServerToUser)
    return apiFail(ApiStatus.BadRequest, 'internal channels cannot be queried');
  return apiOk(parsed.value);
}

/** `POST /apps/:id/events` → `{}` or `{channels:{name:{…}}}`. */
export const triggerEvents: ApiHandler = async (context) => {
  const json = parseJsonBody(context.body);
  if (!json.ok) return json;
  const request = parseEventsRequest(json.value, context.app);
  if (!request.ok) return request;
  const { backend, app } = context;
  await backend.trigger(app, request.value.events);

  const { info } = request.value;
  if (info.size === 0) return apiOk(emptyApiBody);
  const entries: [string, ChannelAttributes][] = [];
  for (const channel of request.value.channels) {
    if (channel.kind === ChannelKind.ServerToUser) continue;
    entries.push([
      channel.name,
      channelAttributes(await backend.channelInfo(app, channel.name), info, channel),
    ]);
  }
  return apiOk({ channels: Object.fromEntries(entries) });
};

/** `POST /apps/:id/batch_events` → `{}` or `{batch:[{…}, {}, …]}`, index-aligned. */
export const triggerBatch: ApiHandler = async (context) => {
  const json = parseJsonBody(context.body);
  if (!json.ok) return json;
  const items = parseBatchRequest(json.value, context.app);
  if (!items.ok) return items;
  const { backend, app } = context;
  await backend.trigger(
    app,
    items.value.map((item) => item.event),
  );

  if (items.value.every((item) => item.info.size === 0)) return apiOk(emptyApiBody);
  const batch: ChannelAttributes[] = [];
  for (const item of items.value) {
    const wanted = item.info.size > 0 && item.channel.kind !== ChannelKind.ServerToUser;
    batch.push(
      wanted
        ? channelAttributes(await backend.channelInfo(app, item.channel.name), item.info, item.channel)
        : {},
    );
  }
  return apiOk({ batch });
};

/** `GET /apps/:id/channels?filter_by_prefix&info` → `{channels:{name:{…}}}`, occupied channels only. */
export const listChannels: ApiHandler = async (context) => {
  const { backend, app, query } = context;
  const prefix =
    query.filter_by_prefix === undefined || query.filter_by_prefix === ''
      ? undefined
      : query.filter_by_prefix;
  const info = parseInfoAttributes(query.info, infoAttributesAllowed.channels);
  if (!info.ok) return info;
  if (
    info.value.has(InfoAttribute.UserCount) &&
    (prefix === undefined || channelKind(prefix).kind !== ChannelKind.Presence)
  ) {
    return apiFail(
      ApiStatus.BadRequest,
      'info=user_count requires filter_by_prefix starting with "presence-"',
    );
  }
  const channels = await backend.channels(app, prefix);
  const entries = [...channels].map(([name, state]): [string, ChannelAttributes] => [
    name,
    channelAttributes(state, info.value, channelKind(name)),
  ]);
  return apiOk({ channels: Object.fromEntries(entries) });
};

/** `GET /apps/:id/channels/:name?info` → `{occupied, user_count?, subscription_count?, cache?}`. */
export const getChannel: ApiHandler = async (context) => {
  const channel = parseRouteChannel(context);
  if (!channel.ok) return channel;
  const info = parseInfoAttributes(context.query.info, infoAttributesAllowed.channel);
  if (!info.ok) return info;
  const applies = checkAttributesApply(info.value, channel.value);
  if (!applies.ok) return applies;
  const state = await context.backend.channelInfo(context.app, channel.value.name);
  return apiOk({
    occupied: state.subscriptionCount > 0,
    ...channelAttributes(state, info.value, channel.value),
  });
};

/** `GET /apps/:id/channels/:name/users` → `{users:[{id}]}`; presence channels only. */
export const getChannelUsers: ApiHandler = async (context) => {
  const channel = parseRouteChannel(context);
  if (!channel.ok) return channel;
  if (channel.value.kind !== ChannelKind.Presence) {
    return apiFail(ApiStatus.BadRequest, 'users are only available for presence channels');
  }
  const ids = await context.backend.channelUsers(context.app, channel.value.name);
  return apiOk({ users: [...new Set(ids)].map((id) => ({ id })) });
};

/** `POST /apps/:id/users/:user_id/terminate_connections` → `{}`. */
export const terminateUserConnections: ApiHandler = async (context) => {
  const userId = context.params.userId;
  if (userId === undefined || userId.length === 0 || userId.length > presenceLimitsDefaults.maxUserIdLength) {
    return apiFail(
      ApiStatus.BadRequest,
      `user id must be 1 to ${presenceLimitsDefaults.maxUserIdLength} characters`,
    );
  }
  await context.backend.terminateUserConnections(context.app, userId);
  return apiOk(emptyApiBody);
};
