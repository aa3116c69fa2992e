import type { Agent } from 'node:http';
import { encodeSendBody } from '@tether/protocol';
import { callHttp } from '../../http/http-call.js';
import type { SubscriberContext } from './subscriber.js';
import { tetherHttpPaths } from './tether-http-paths.js';

/** Raw baselines subscribe through the request URL; Tether's transports speak Pusher frames with a session. */
export type HttpSubscriberMode =
  { kind: 'raw' } | { kind: 'tether'; key: string; authorize: (socketId: string, channel: string) => string };

export interface HttpSubscriberOptions {
  agent: Agent;
  mode: HttpSubscriberMode;
  /** Longest a single request (a held poll included) may take. */
  requestTimeoutMs: number;
}

/** Sends client frames to a Tether HTTP session (`POST …/session/ID/send`); reports failures. */
export function tetherFrameSender(
  context: SubscriberContext,
  options: HttpSubscriberOptions,
  key: string,
  session: () => string | undefined,
  fail: (reason: string) => void,
): (frame: string) => void {
  return (frame) => {
    const id = session();
    if (id === undefined) {
      fail('frame to send before the session id arrived');
      return;
    }
    callHttp({
      agent: options.agent,
      host: context.host,
      port: context.port,
      method: 'POST',
      path: tetherHttpPaths.send(key, id),
      body: encodeSendBody([frame]),
      timeoutMs: options.requestTimeoutMs,
    }).then(
      (reply) => {
        if (reply.status >= 300) fail(`send answered ${reply.status} ${reply.body.slice(0, 120)}`);
      },
      (error: unknown) => fail(`send failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
}
