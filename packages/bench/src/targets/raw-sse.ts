/**
 * Target process: a raw SSE server (routes in wire/raw-http.ts). A stream's first event is the
 * subscription acknowledgement; a publish serializes the frame once and writes it to every
 * stream of the channel. Framing comes from @tether/protocol, so subscribers parse exactly what
 * they parse from Tether.
 */
import type { ServerResponse } from 'node:http';
import { encodeFrame, encodeSseFrame, PusherEvent, SSE_RESPONSE_HEADERS } from '@tether/protocol';
import { RAW_CHANNEL_PARAM, RawHttpPath, type RawPublish } from '../wire/raw-http.js';
import { handleRawPublishRequest } from './raw-publish-route.js';
import { runTarget } from './target-process.js';

await runTarget((server) => {
  const channels = new Map<string, Set<ServerResponse>>();
  const publish = ({ channel, event, data }: RawPublish): void => {
    const chunk = encodeSseFrame(encodeFrame({ event, channel, data }));
    for (const member of channels.get(channel) ?? []) member.write(chunk);
  };
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === RawHttpPath.Sse) {
      const channel = url.searchParams.get(RAW_CHANNEL_PARAM);
      if (!channel) {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, SSE_RESPONSE_HEADERS);
      res.write(encodeSseFrame(encodeFrame({ event: PusherEvent.SubscriptionSucceeded, channel, data: {} })));
      let members = channels.get(channel);
      if (!members) channels.set(channel, (members = new Set()));
      members.add(res);
      res.once('close', () => members.delete(res));
      return;
    }
    // `POST /publish`, and 404 for anything else.
    void handleRawPublishRequest(req, res, publish);
  });
});
