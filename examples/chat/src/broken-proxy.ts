/**
 * `pnpm --filter @tether/example-chat chat:broken-proxy`: the chat behind a proxy that breaks
 * WebSockets the way real networks do, so you can watch the client fall back and remember it.
 *
 *   BROKEN_PROXY_MODE=block-websocket   (default) upgrades answered 403: the page connects over SSE.
 *   BROKEN_PROXY_MODE=drop-websocket    upgrades pass, then are cut without a close frame after
 *                                       BROKEN_PROXY_DROP_MS (default 5000): after two drops the
 *                                       page reports WebSockets disabled and continues on SSE.
 *   BROKEN_PROXY_MODE=pass              a plain proxy, for comparison.
 *
 * The proxy is the e2e package's fault-injecting proxy, imported from the repository rather than
 * copied: it is test equipment, not part of the published packages, and there is one of it.
 */
// eslint-disable-next-line no-restricted-imports -- test equipment from this repository, not a package API (see above)
import { startFaultProxy, type FaultMode } from '../../../packages/e2e/src/fault-proxy.js';
import { createChatServer } from './chat-app.js';
import { chatOptionsFromEnv } from './chat-options.js';
import { stopOnSignals } from './stop-on-signals.js';

export const brokenProxyDefaults = {
  mode: 'block-websocket',
  dropAfterMs: 5_000,
} as const;

const BROKEN_PROXY_ENV = { mode: 'BROKEN_PROXY_MODE', dropAfterMs: 'BROKEN_PROXY_DROP_MS' } as const;

const WHAT_TO_WATCH = {
  'block-websocket':
    'WebSocket upgrades get 403 Forbidden. Watch the connection panel: the transport becomes "sse" ' +
    '(long-poll if SSE fails too), the last close explains the 1006, and chat works as usual.',
  'drop-websocket':
    'WebSockets connect, then are cut without a close frame. Watch the panel: each drop is counted, after two ' +
    '"WebSockets" says disabled and the page continues on SSE while the client probes WebSocket in the background. ' +
    'Reload: it starts on SSE at once (remembered in localStorage).',
  pass: 'Nothing is broken: the page connects over WebSocket.',
} as const;
type BrokenMode = keyof typeof WHAT_TO_WATCH;

const isBrokenMode = (value: string): value is BrokenMode => Object.hasOwn(WHAT_TO_WATCH, value);

function faultMode(mode: BrokenMode, dropAfterMs: number): FaultMode {
  switch (mode) {
    case 'block-websocket':
      return { kind: 'block-websocket' };
    case 'drop-websocket':
      return { kind: 'drop-websocket-after', afterMs: dropAfterMs };
    case 'pass':
      return { kind: 'pass' };
  }
}

const rawMode = process.env[BROKEN_PROXY_ENV.mode]?.trim() || brokenProxyDefaults.mode;
const rawDrop = process.env[BROKEN_PROXY_ENV.dropAfterMs]?.trim();
const dropAfterMs = rawDrop ? Number(rawDrop) : brokenProxyDefaults.dropAfterMs;
const parsed = chatOptionsFromEnv({ ...process.env, PORT: process.env.PORT ?? '0' });
if (!isBrokenMode(rawMode) || !(Number.isInteger(dropAfterMs) && dropAfterMs > 0) || !parsed.ok) {
  console.error(
    !parsed.ok
      ? `chat: ${parsed.error}`
      : `chat:broken-proxy: ${BROKEN_PROXY_ENV.mode} must be one of ${Object.keys(WHAT_TO_WATCH).join(', ')} ` +
          `and ${BROKEN_PROXY_ENV.dropAfterMs} a positive number of milliseconds`,
  );
  process.exit(2);
}

const chat = createChatServer({ ...parsed.options, host: '127.0.0.1' });
const direct = await chat.listen();
const proxy = await startFaultProxy({
  target: { host: '127.0.0.1', port: direct.port },
  mode: faultMode(rawMode, dropAfterMs),
});
console.log(
  `\n  Tether chat behind a broken proxy (${rawMode}${rawMode === 'drop-websocket' ? `, after ${dropAfterMs} ms` : ''}):\n` +
    `    open ${proxy.url}/ in two browser windows\n` +
    `    (the same chat without the proxy: ${direct.url})\n\n  ${WHAT_TO_WATCH[rawMode]}\n`,
);
stopOnSignals(async () => {
  await chat.close();
  await proxy.close();
});
