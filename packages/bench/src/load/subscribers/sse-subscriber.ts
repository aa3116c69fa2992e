import { readSseMessage, SseReader } from '@tether/protocol';
import { openHttp } from '../../http/http-call.js';
import { RAW_CHANNEL_PARAM, RawHttpPath } from '../../wire/raw-http.js';
import type { HttpSubscriberOptions } from './http-subscriber-options.js';
import { HttpSubscriberRun } from './http-subscriber-run.js';
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
  const { mode } = options;
  return new Promise((resolve, reject) => {
    const run = new HttpSubscriberRun(context, options, 'SSE', resolve, reject);
    const { fail, subscription } = run;
    const path =
      mode.kind === 'raw'
        ? `${RawHttpPath.Sse}?${RAW_CHANNEL_PARAM}=${encodeURIComponent(context.channel)}`
        : tetherHttpPaths.sseOpen(mode.key);
    openHttp(
      // The stream lives as long as the run: its timeout is the generator's lifetime, not a request's.
      { agent: options.agent, host: context.host, port: context.port, method: 'GET', path, timeoutMs: 0 },
      (cancel) => (run.abort = cancel),
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
                run.session = signal.value.session;
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
          if (!run.closing) fail('SSE stream ended');
        });
        response.once('error', (error) => {
          if (!run.closing) fail(`SSE stream error: ${error.message}`);
        });
      },
      (error: unknown) => {
        if (!run.closing)
          fail(`SSE request failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  });
}
