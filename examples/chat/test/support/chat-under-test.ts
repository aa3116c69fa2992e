import { createChatServer, type ChatServer } from '../../src/chat-app.js';
// eslint-disable-next-line no-restricted-imports -- test equipment from this repository, as the broken-proxy script uses it
import {
  startFaultProxy,
  type FaultMode,
  type FaultProxy,
} from '../../../../packages/e2e/src/fault-proxy.js';
import { ensureClientBundle } from './client-bundle-build.js';

export interface ChatUnderTest {
  chat: ChatServer;
  proxy: FaultProxy | undefined;
  /** The URL a person opens: the proxy's when there is one. */
  url: string;
  close(): Promise<void>;
}

/** The chat example as `npm start` runs it (port 0), optionally behind the fault-injecting proxy. */
export async function startChat(options: { proxy?: FaultMode } = {}): Promise<ChatUnderTest> {
  const chat = createChatServer({ port: 0, host: '127.0.0.1' }, { clientBundleDir: ensureClientBundle() });
  const direct = await chat.listen();
  const proxy =
    options.proxy === undefined
      ? undefined
      : await startFaultProxy({ target: { host: '127.0.0.1', port: direct.port }, mode: options.proxy });
  return {
    chat,
    proxy,
    url: proxy === undefined ? direct.url : `${proxy.url}/`,
    close: async () => {
      await proxy?.close();
      await chat.close();
    },
  };
}
