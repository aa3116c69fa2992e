import { readSseMessage, SseReader } from '@tether/protocol';
import { openHttp } from '../../http/http-call.js';
import { RAW_CHANNEL_PARAM, RawHttpPath } from '../../wire/raw-http.js';
import { tetherFrameSender, type HttpSubscriberOptions } from './http-subscriber-options.js';
import { PusherSubscription } from './pusher-subscription.js';
import type { Subscriber, SubscriberContext } from './subscriber.js';
import { tetherHttpPaths } from './tether-http-paths.js';

/**
 * An SSE subscriber read from a raw HTTP stream (no EventSource: one parser for every target, the
 * one in @tether/protocol). Raw: `GET /sse?channel=C`. Tether: open the session stream, then send
 * `pusher:subscribe` by POST once `connection_established` arrives.
 */
export function connectSseSubscriber(
  context: SubscriberContext,
  options: HttpSubscriberOptions,
): Promise<Subscriber> {
  const { hooks } = context;
  const { mode } = options;
  return new Promise((resolve, reject) => {
    let settled = false;
    let closing = false;
    let abort: (() => void) | undefined;
    let session: string | undefined;
    const fail = (reason: string): void => {
      const wasClosing = closing;
      closing = true;
      abort?.();
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(new Error(reason));
      } else if (!wasClosing) hooks.onDisconnect(reason);
    };
    const timer = setTimeout(() => fail(`not subscribed within ${context.timeoutMs} ms`), context.timeoutMs);
    const subscription = new PusherSubscription({
      channel: context.channel,
      handshake: mode.kind === 'raw' ? 'implicit' : 'pusher',
      ...(mode.kind === 'tether' ? { authorize: mode.authorize } : {}),
      send:
        mode.kind === 'tether'
          ? tetherFrameSender(context, options, mode.key, () => session, fail)
          : () => fail('raw SSE has no upstream'),
      onSubscribed: () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          close: () => {
            closing = true;
            abort?.();
          },
        });
      },
      onFailure: fail,
      onDelivery: hooks.onDelivery,
    });
    const path =
      mode.kind === 'raw'
        ? `${RawHttpPath.Sse}?${RAW_CHANNEL_PARAM}=${encodeURIComponent(context.channel)}`
        : tetherHttpPaths.sseOpen(mode.key);
    openHttp(
      // The stream lives as long as the run: its timeout is the generator's lifetime, not a request's.
      { agent: options.agent, host: context.host, port: context.port, method: 'GET', path, timeoutMs: 0 },
      (cancel) => (abort = cancel),
    ).then(
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          fail(`SSE answered ${response.statusCode ?? 0}`);
          return;
        }
        const reader = new SseReader();
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          for (const message of reader.push(chunk)) {
            const signal = readSseMessage(message);
            if (!signal.ok) {
              fail(`bad SSE event: ${signal.error.code}`);
              return;
            }
            switch (signal.value.type) {
              case 'session':
                session = signal.value.session;
                break;
              case 'frame':
                subscription.receive(signal.value.frame);
                break;
              case 'close':
                fail(`SSE close ${signal.value.code} ${signal.value.reason}`);
                return;
            }
          }
        });
        response.once('end', () => {
          if (!closing) fail('SSE stream ended');
        });
        response.once('error', (error) => {
          if (!closing) fail(`SSE stream error: ${error.message}`);
        });
      },
      (error: unknown) => {
        if (!closing) fail(`SSE request failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  });
}
