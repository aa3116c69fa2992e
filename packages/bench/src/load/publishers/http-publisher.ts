import Pusher from 'pusher';
import { callHttp } from '../../http/http-call.js';
import { encodeRawPublish, RawHttpPath } from '../../wire/raw-http.js';
import type { AppCredentials } from '../load-spec.js';
import type { Publisher, PublisherContext } from './publisher.js';

/** `POST /publish` of the raw HTTP baselines; resolves on 2xx. */
export function openRawHttpPublisher(context: PublisherContext): Publisher {
  return {
    publish: async (data) => {
      const reply = await callHttp({
        agent: context.agent,
        host: context.host,
        port: context.port,
        method: 'POST',
        path: RawHttpPath.Publish,
        body: encodeRawPublish({ channel: context.channel, event: context.event, data }),
        timeoutMs: context.timeoutMs,
      });
      if (reply.status >= 300) throw new Error(`publish answered ${reply.status}`);
    },
    close: () => undefined,
  };
}

/** The Pusher HTTP API (`POST /apps/ID/events`) through the official `pusher` SDK, which signs each call. */
export function openPusherApiPublisher(context: PublisherContext, app: AppCredentials): Publisher {
  const pusher = new Pusher({
    appId: app.id,
    key: app.key,
    secret: app.secret,
    host: context.host,
    port: String(context.port),
    useTLS: false,
    timeout: context.timeoutMs,
    agent: context.agent,
  });
  return {
    publish: async (data) => {
      // The SDK passes a string `data` through verbatim; it throws a RequestError on status >= 400.
      await pusher.trigger(context.channel, context.event, data);
    },
    close: () => undefined,
  };
}
