/**
 * Target process: a raw long-poll server (routes in wire/raw-http.ts). Each channel keeps a log of
 * encoded frames; a poll with a cursor behind the log's end is answered at once, otherwise held until
 * a publish (answered together at the end of the event-loop turn, one body per distinct cursor) or
 * until the hold time ends (an empty batch). Bodies are @tether/protocol long-poll batches, so
 * subscribers parse exactly what they parse from Tether.
 */
import type { ServerResponse } from 'node:http';
import {
  encodeFrame,
  encodeLongPollBatch,
  LONG_POLL_CONTENT_TYPE,
  parseCursor,
  PusherEvent,
} from '@tether/protocol';
import {
  RAW_CHANNEL_PARAM,
  RAW_CURSOR_PARAM,
  RAW_LONG_POLL_SESSION,
  RawHttpPath,
  type RawPublish,
} from '../wire/raw-http.js';
import { ChannelLog } from './channel-log.js';
import { handleRawPublishRequest } from './raw-publish-route.js';
import { runTarget } from './target-process.js';

const rawLongPollDefaults = {
  holdMs: 20_000,
  logCapacity: 100_000,
} as const;

interface Waiter {
  res: ServerResponse;
  cursor: number;
  timer: NodeJS.Timeout;
}

interface Channel {
  log: ChannelLog;
  waiters: Set<Waiter>;
  flushScheduled: boolean;
}

const headers = { 'Content-Type': LONG_POLL_CONTENT_TYPE, 'Cache-Control': 'no-store' } as const;

function respond(res: ServerResponse, body: string): void {
  res.writeHead(200, headers).end(body);
}

await runTarget((server) => {
  const channels = new Map<string, Channel>();
  const channelNamed = (name: string): Channel => {
    let channel = channels.get(name);
    if (!channel)
      channels.set(
        name,
        (channel = {
          log: new ChannelLog(rawLongPollDefaults.logCapacity),
          waiters: new Set(),
          flushScheduled: false,
        }),
      );
    return channel;
  };
  const batch = (cursor: number, frames: string[]): string =>
    encodeLongPollBatch({ session: RAW_LONG_POLL_SESSION, cursor, frames });

  const flush = (channel: Channel): void => {
    channel.flushScheduled = false;
    const bodies = new Map<number, string>();
    for (const waiter of channel.waiters) {
      clearTimeout(waiter.timer);
      let body = bodies.get(waiter.cursor);
      if (body === undefined)
        bodies.set(waiter.cursor, (body = batch(channel.log.end, channel.log.since(waiter.cursor))));
      respond(waiter.res, body);
    }
    channel.waiters.clear();
  };

  const publish = ({ channel: name, event, data }: RawPublish): void => {
    const channel = channelNamed(name);
    channel.log.append(encodeFrame({ event, channel: name, data }));
    if (!channel.flushScheduled && channel.waiters.size > 0) {
      channel.flushScheduled = true;
      setImmediate(() => flush(channel));
    }
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const name = url.searchParams.get(RAW_CHANNEL_PARAM);
    if (req.method === 'GET' && url.pathname === RawHttpPath.LongPollOpen && name) {
      const ack = encodeFrame({ event: PusherEvent.SubscriptionSucceeded, channel: name, data: {} });
      respond(res, batch(channelNamed(name).log.end, [ack]));
      return;
    }
    if (req.method === 'GET' && url.pathname === RawHttpPath.LongPoll && name) {
      const cursor = parseCursor(url.searchParams.get(RAW_CURSOR_PARAM));
      if (cursor === null) {
        res.writeHead(400).end();
        return;
      }
      const channel = channelNamed(name);
      if (cursor < channel.log.end) {
        respond(res, batch(channel.log.end, channel.log.since(cursor)));
        return;
      }
      const waiter: Waiter = {
        res,
        cursor,
        timer: setTimeout(() => {
          channel.waiters.delete(waiter);
          respond(res, batch(cursor, []));
        }, rawLongPollDefaults.holdMs),
      };
      channel.waiters.add(waiter);
      res.once('close', () => {
        clearTimeout(waiter.timer);
        channel.waiters.delete(waiter);
      });
      return;
    }
    // `POST /publish`, and 404 for anything else.
    void handleRawPublishRequest(req, res, publish);
  });
});
