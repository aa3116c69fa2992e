/**
 * `npm start` (from the repository root) or `pnpm --filter @tether/example-chat start`: the chat
 * example on http://127.0.0.1:3000/. Options come from the environment (see chat-options.ts and the
 * README): PORT, HOST, TETHER_APP_ID / TETHER_APP_KEY / TETHER_APP_SECRET, TETHER_REDIS_URL.
 */
import { createChatServer } from './chat-app.js';
import { chatOptionsFromEnv } from './chat-options.js';
import { CLIENT_BUNDLE } from './client-bundle.js';
import { stopOnSignals } from './stop-on-signals.js';

const parsed = chatOptionsFromEnv(process.env);
if (!parsed.ok) {
  console.error(`chat: ${parsed.error}`);
  process.exit(2);
}
const { options } = parsed;
const chat = createChatServer(options);
chat.tether.on('error', ({ error, context }) => console.error(`tether: ${context}:`, error));

if (chat.clientBundle?.built !== true) {
  console.error(
    `chat: the browser bundle ${CLIENT_BUNDLE.dir}/${CLIENT_BUNDLE.umd} of @tether/client is missing.\n` +
      '      Build it with `pnpm --filter @tether/client build` (or run `npm start` from the repository root, which does).',
  );
  process.exit(1);
}
if (options.redisUrl !== undefined) console.log(`chat: scaling out over Redis at ${options.redisUrl}`);

const { url } = await chat.listen();
console.log(`\n  Tether chat is running: open ${url} in two browser windows.\n`);
stopOnSignals(() => chat.close());
