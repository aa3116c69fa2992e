import { callHttp } from '../../http/http-call.js';
import { encodeRawPublish, RawHttpPath } from '../../wire/raw-http.js';
import type { AppCredentials } from '../load-spec.js';
import type { Publisher, PublisherContext } from './publisher.js';
import { signedTriggerRequest } from './signed-api-request.js';

/** `POST /publish` of the raw HTTP baselines; resolves on 2xx. */
export function openRawHttpPublisher(context: PublisherContext): Publisher {
  return {
    publish: (data) =>
      postPublish(context, {
        path: RawHttpPath.Publish,
        body: encodeRawPublish({ channel: context.channel, event: context.event, data }),
      }),
    close: () => undefined,
  };
}

/** How much of a refusing answer's body a publish error quotes. */
export const httpPublisherDefaults = { errorBodyChars: 200 } as const;

/** A target answered a publish with a status outside 2xx. */
export class PublishRefusedError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(
      body.length === 0
        ? `publish answered ${status}`
        : `publish answered ${status}: ${body.slice(0, httpPublisherDefaults.errorBodyChars)}`,
    );
    this.name = 'PublishRefusedError';
  }
}

/**
 * The Pusher HTTP API (`POST /apps/ID/events`): signed here exactly as the `pusher` SDK signs
 * `trigger(channel, event, data)`, sent through the bench's lean HTTP client: the SDK's own HTTP client
 * bounded the one-core generator at small N.
 */
export function openPusherApiPublisher(context: PublisherContext, app: AppCredentials): Publisher {
  const trigger = { channel: context.channel, event: context.event };
  return {
    publish: (data) => {
      const { path, body } = signedTriggerRequest(app, { ...trigger, data });
      return postPublish(context, { path, body });
    },
    close: () => undefined,
  };
}

/** POSTs one publish (as JSON, callHttp's default) through the bench's HTTP client; rejects with a PublishRefusedError outside 2xx. */
async function postPublish(
  context: PublisherContext,
  request: { path: string; body: string },
): Promise<void> {
  const reply = await callHttp({
    agent: context.agent,
    host: context.host,
    port: context.port,
    method: 'POST',
    path: request.path,
    body: request.body,
    timeoutMs: context.timeoutMs,
  });
  if (reply.status < 200 || reply.status >= 300) throw new PublishRefusedError(reply.status, reply.body);
}
