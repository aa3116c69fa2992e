import { ChannelKind } from '@tether/protocol';
import type { ApiChannelState } from './api-backend.js';
import { apiFail, apiOk, ApiStatus, type ApiResult } from './api-errors.js';

/** The `info` attributes of the HTTP API (spec §6.4). */
export const InfoAttribute = {
  UserCount: 'user_count',
  SubscriptionCount: 'subscription_count',
  Cache: 'cache',
} as const;
export type InfoAttribute = (typeof InfoAttribute)[keyof typeof InfoAttribute];

/** Which attributes each endpoint accepts in `info`. */
export const infoAttributesAllowed = {
  trigger: [InfoAttribute.UserCount, InfoAttribute.SubscriptionCount],
  channels: [InfoAttribute.UserCount],
  channel: [InfoAttribute.UserCount, InfoAttribute.SubscriptionCount, InfoAttribute.Cache],
} as const satisfies Record<string, readonly InfoAttribute[]>;

/** The attribute fields of a channel in a response. */
export interface ChannelAttributes {
  user_count?: number;
  subscription_count?: number;
  cache?: { data: string; ttl: number };
}

const MAX_ECHOED_CHARS = 40;

/** Parses a comma-separated `info` value; an unknown or unsupported attribute is a 400. */
export function parseInfoAttributes(
  raw: unknown,
  allowed: readonly InfoAttribute[],
): ApiResult<ReadonlySet<InfoAttribute>> {
  const attributes = new Set<InfoAttribute>();
  if (raw === undefined || raw === null) return apiOk(attributes);
  if (typeof raw !== 'string') return apiFail(ApiStatus.BadRequest, 'info must be a comma-separated string');
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (name.length === 0) continue;
    const known = allowed.find((attribute) => attribute === name);
    if (known === undefined) {
      return apiFail(
        ApiStatus.BadRequest,
        `info attribute "${name.slice(0, MAX_ECHOED_CHARS)}" is not supported here`,
      );
    }
    attributes.add(known);
  }
  return apiOk(attributes);
}

/** user_count is for presence channels, subscription_count for the others, cache for cache channels. */
export function attributeAppliesTo(
  attribute: InfoAttribute,
  channel: { kind: ChannelKind; cache: boolean },
): boolean {
  switch (attribute) {
    case InfoAttribute.UserCount:
      return channel.kind === ChannelKind.Presence;
    case InfoAttribute.SubscriptionCount:
      return channel.kind !== ChannelKind.Presence && channel.kind !== ChannelKind.ServerToUser;
    case InfoAttribute.Cache:
      return channel.cache;
  }
}

/** 400 when an attribute requested of one channel does not exist for its type. */
export function checkAttributesApply(
  attributes: ReadonlySet<InfoAttribute>,
  channel: { name: string; kind: ChannelKind; cache: boolean },
): ApiResult<void> {
  for (const attribute of attributes) {
    if (!attributeAppliesTo(attribute, channel)) {
      return apiFail(
        ApiStatus.BadRequest,
        `info attribute "${attribute}" is not available for channel type ${channel.kind}${channel.cache ? ' (cache)' : ''}`,
      );
    }
  }
  return apiOk(undefined);
}

/** The requested attributes of one channel that apply to its type; the rest are left out. */
export function channelAttributes(
  state: ApiChannelState,
  attributes: ReadonlySet<InfoAttribute>,
  channel: { kind: ChannelKind; cache: boolean },
): ChannelAttributes {
  const result: ChannelAttributes = {};
  for (const attribute of attributes) {
    if (!attributeAppliesTo(attribute, channel)) continue;
    switch (attribute) {
      case InfoAttribute.UserCount:
        result.user_count = state.userCount ?? 0;
        break;
      case InfoAttribute.SubscriptionCount:
        result.subscription_count = state.subscriptionCount;
        break;
      case InfoAttribute.Cache:
        if (state.cache !== undefined) result.cache = { data: state.cache.data, ttl: state.cache.ttl };
        break;
    }
  }
  return result;
}
