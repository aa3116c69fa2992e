/**
 * Target process: the corked raw `ws` server of `corked-ws`, also taking publishes as `POST /publish`
 * (one HTTP request per message) on the same HTTP server. Both ways in share one publish, so the only
 * difference from `corked-ws` is how a message arrives: the limit for publish over HTTP, deliver over
 * WebSocket.
 */
import { attachRawPublishRoute } from './raw-publish-route.js';
import { attachRawWsServer, createCorkedSender } from './raw-ws-server.js';
import { runTarget } from './target-process.js';

await runTarget((server) => {
  const publish = attachRawWsServer(server, createCorkedSender());
  attachRawPublishRoute(server, publish);
});
