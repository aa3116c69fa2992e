/** Target process: raw `ws`, a Set of sockets per channel, one `send` per subscriber. */
import { attachRawWsServer, sendEach } from './raw-ws-server.js';
import { runTarget } from './target-process.js';

await runTarget((server) => {
  attachRawWsServer(server, sendEach);
});
