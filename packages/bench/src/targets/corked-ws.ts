/** Target process: raw `ws` with each subscriber's socket corked until the end of the event-loop turn. */
import { attachRawWsServer, createCorkedSender } from './raw-ws-server.js';
import { runTarget } from './target-process.js';

await runTarget((server) => {
  attachRawWsServer(server, createCorkedSender());
});
