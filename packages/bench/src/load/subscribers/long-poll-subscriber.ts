import { decodeLongPollBatch, type LongPollBatch } from '@tether/protocol';
import { callHttp } from '../../http/http-call.js';
import { RAW_CHANNEL_PARAM, RAW_CURSOR_PARAM, RawHttpPath } from '../../wire/raw-http.js';
import type { HttpSubscriberOptions } from './http-subscriber-options.js';
import { HttpSubscriberRun } from './http-subscriber-run.js';
import type { Subscriber, SubscriberContext } from './subscriber.js';
import { tetherHttpPaths } from './tether-http-paths.js';

export interface LongPollLimits {
  /** Polls one subscriber may make over its life. */
  maxPolls: number;
}

export const longPollLimitsDefaults = {
  maxPolls: 10_000_000,
} as const satisfies LongPollLimits;

/**
 * A long-poll subscriber: open (raw: `GET /long-poll/open?channel=C`; Tether: open a session and send
 * `pusher:subscribe` by POST), then poll with the cursor of the last batch until closed, failed, or
 * out of polls. Every batch is a @tether/protocol long-poll batch.
 */
export function connectLongPollSubscriber(
  context: SubscriberContext,
  options: HttpSubscriberOptions,
  limits: LongPollLimits = longPollLimitsDefaults,
): Promise<Subscriber> {
  const { mode } = options;
  const channelQuery = `${RAW_CHANNEL_PARAM}=${encodeURIComponent(context.channel)}`;
  return new Promise((resolve, reject) => {
    const run = new HttpSubscriberRun(context, options, 'long-poll', resolve, reject);
    const { fail, subscription } = run;
    let polls = 0;

    const pollPath = (cursor: number): string =>
      mode.kind === 'raw'
        ? `${RawHttpPath.LongPoll}?${channelQuery}&${RAW_CURSOR_PARAM}=${cursor}`
        : tetherHttpPaths.longPoll(mode.key, run.session ?? '', cursor);

    const take = (batch: LongPollBatch): boolean => {
      run.session = batch.session;
      for (const frame of batch.frames) subscription.receive(frame);
      if (batch.close) {
        fail(`long-poll close ${batch.close.code} ${batch.close.reason}`);
        return false;
      }
      return !run.closing;
    };

    const poll = (path: string): void => {
      if (run.closing) return;
      if (polls++ >= limits.maxPolls) {
        fail(`out of polls (${limits.maxPolls})`);
        return;
      }
      callHttp(
        {
          agent: options.agent,
          host: context.host,
          port: context.port,
          method: 'GET',
          path,
          timeoutMs: options.requestTimeoutMs,
        },
        (cancel) => (run.abort = cancel),
      ).then(
        (reply) => {
          if (run.closing) return;
          if (reply.status !== 200) {
            fail(`poll answered ${reply.status} ${reply.body.slice(0, 120)}`);
            return;
          }
          const batch = decodeLongPollBatch(reply.body);
          if (!batch.ok) {
            fail(`bad batch: ${batch.error.code}`);
            return;
          }
          if (take(batch.value)) poll(pollPath(batch.value.cursor));
        },
        (error: unknown) => {
          if (!run.closing) fail(`poll failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    };

    poll(
      mode.kind === 'raw'
        ? `${RawHttpPath.LongPollOpen}?${channelQuery}`
        : tetherHttpPaths.longPollOpen(mode.key),
    );
  });
}
