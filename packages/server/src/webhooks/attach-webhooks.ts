import type { AppConfig } from '../app-config.js';
import { systemClock } from '../clock.js';
import type { TetherServerEvents, TetherServerEventSource } from '../server-events.js';
import { LeaveDelay } from './leave-delay.js';
import { webhookDefaults, type WebhookOptions, type WebhookRuntime } from './webhook-options.js';
import { clientEventData, WebhookEventName, type WebhookEvent } from './webhook-payload.js';
import { WebhookTargetQueue } from './webhook-target-queue.js';

export interface WebhookSender {
  /** Stops listening, sends what is pending (delayed leaves included, one attempt each) and resolves when done. */
  close(): Promise<void>;
}

const channelKey = (app: AppConfig, channel: string): string => JSON.stringify(['channel', app.id, channel]);
const memberKey = (app: AppConfig, channel: string, userId: string): string =>
  JSON.stringify(['member', app.id, channel, userId]);

/**
 * Sends Pusher-compatible webhooks (spec §6.5) for the server's channel, member, client-event,
 * cache-miss and subscription-count events, to each app's `webhooks` targets that list the event.
 * Never throws into the server: every failure goes to `options.error`.
 */
export function attachWebhooks(source: TetherServerEventSource, options: WebhookOptions = {}): WebhookSender {
  const { fetch: fetchOption, clock: clockOption, random, error, ...limitOptions } = options;
  const runtime: WebhookRuntime = {
    fetch: fetchOption ?? globalThis.fetch,
    clock: clockOption ?? systemClock,
    random: random ?? Math.random,
    limits: { ...webhookDefaults, ...limitOptions },
    report: (cause, context) => {
      try {
        error?.({ error: cause, context });
      } catch {
        // A throwing error callback must not reach the server either.
      }
    },
  };
  const queues = new Map<string, WebhookTargetQueue>();
  const leaves = new LeaveDelay(runtime.clock, runtime.limits.leaveDelayMs);
  let closed = false;

  const dispatch = (app: AppConfig, event: WebhookEvent): void => {
    const urls = new Set(
      app.webhooks.filter((target) => target.events.includes(event.name)).map((target) => target.url),
    );
    for (const url of urls) {
      const key = JSON.stringify([app.id, url]);
      let queue = queues.get(key);
      if (!queue) {
        queue = new WebhookTargetQueue(runtime, app, url);
        queues.set(key, queue);
      }
      queue.push(app, event);
    }
  };

  const listen = <K extends WebhookEventName>(
    name: K,
    handle: (context: TetherServerEvents[K]) => void,
  ): (() => void) =>
    source.on(name, (context) => {
      if (closed || context.app.webhooks.length === 0) return;
      try {
        handle(context);
      } catch (cause) {
        runtime.report(cause, `webhook ${name}`);
      }
    });

  const unsubscribe = [
    listen(WebhookEventName.ChannelOccupied, ({ app, channel }) => {
      if (!leaves.enter(channelKey(app, channel)))
        dispatch(app, { name: WebhookEventName.ChannelOccupied, channel });
    }),
    listen(WebhookEventName.ChannelVacated, ({ app, channel }) => {
      leaves.leave(channelKey(app, channel), () =>
        dispatch(app, { name: WebhookEventName.ChannelVacated, channel }),
      );
    }),
    listen(WebhookEventName.MemberAdded, ({ app, channel, userId }) => {
      if (!leaves.enter(memberKey(app, channel, userId))) {
        dispatch(app, { name: WebhookEventName.MemberAdded, channel, user_id: userId });
      }
    }),
    listen(WebhookEventName.MemberRemoved, ({ app, channel, userId }) => {
      leaves.leave(memberKey(app, channel, userId), () =>
        dispatch(app, { name: WebhookEventName.MemberRemoved, channel, user_id: userId }),
      );
    }),
    listen(WebhookEventName.ClientEvent, ({ app, channel, event, data, socketId, userId }) => {
      const payload: WebhookEvent = {
        name: WebhookEventName.ClientEvent,
        channel,
        event,
        data: clientEventData(data),
        socket_id: socketId,
      };
      if (userId !== undefined) payload.user_id = userId;
      dispatch(app, payload);
    }),
    listen(WebhookEventName.CacheMiss, ({ app, channel }) =>
      dispatch(app, { name: WebhookEventName.CacheMiss, channel }),
    ),
    listen(WebhookEventName.SubscriptionCount, ({ app, channel, subscriptionCount }) =>
      dispatch(app, {
        name: WebhookEventName.SubscriptionCount,
        channel,
        subscription_count: subscriptionCount,
      }),
    ),
  ];

  return {
    async close() {
      if (closed) return;
      closed = true;
      for (const off of unsubscribe) off();
      leaves.flush();
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
