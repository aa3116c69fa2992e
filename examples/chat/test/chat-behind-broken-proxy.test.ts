import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startChat, type ChatUnderTest } from './support/chat-under-test.js';
import { openChat, type ChatPage } from './support/chat-page.js';
import { launchChromium } from './support/chromium.js';
import { BUNDLE_BUILD_TIMEOUT_MS, ensureClientBundle } from './support/client-bundle-build.js';

let browser: Browser;
let app: ChatUnderTest | undefined;
const pages: ChatPage[] = [];

beforeAll(async () => {
  ensureClientBundle();
  browser = await launchChromium();
}, BUNDLE_BUILD_TIMEOUT_MS);

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close().catch(() => undefined);
  await app?.close();
  app = undefined;
});

afterAll(async () => {
  await browser?.close();
});

describe('chat example in Chromium behind a proxy that blocks WebSockets', () => {
  it('both pages connect over SSE, the panel says why, and chat works', async () => {
    app = await startChat({ proxy: { kind: 'block-websocket' } });
    const ann = await openChat(browser, app.url, { name: 'Ann', room: 'blocked' });
    const bob = await openChat(browser, app.url, { name: 'Bob', room: 'blocked' });
    pages.push(ann, bob);
    for (const page of [ann, bob]) {
      await page.waitForTransport('sse');
      const panel = await page.panel();
      expect(panel.why).toMatch(/websocket failed: 1006/);
      expect(await page.page.locator('#connection-transport').textContent()).toBe('sse');
    }
    expect(app.proxy!.connections().upgrades.blocked).toBeGreaterThanOrEqual(2);

    await ann.waitForOnline('Bob');
    await ann.type('Over SSE');
    await bob.waitForTyping('Ann is typing…');
    await ann.page.locator('#message').press('Enter');
    await bob.waitForMessage('Over SSE');
    await bob.send('Reply over SSE');
    await ann.waitForMessage('Reply over SSE');
  });
});

/** Where the client remembers the transport that last worked, for plain (non-TLS) pages (transport-memory.ts). */
const MEMORY_KEY = 'tether:transport:plain';

/**
 * Client options the page takes from its URL: retries after 0.5-2 s (not the default 1-4 s) so two
 * drops take seconds, yet long enough for the death verdict (an HTTP reachability check) to land
 * before the next plan is made. The background WebSocket probe keeps its default delay: a probe that
 * completes its handshake and is then dropped again must not move the page back to WebSocket for good
 * (the client keeps the deaths after a probe and re-bans at once).
 */
const DROP_QUERY = { backoffMinMs: 500, backoffBaseMs: 500 } as const;

describe('chat example in Chromium behind a proxy that drops WebSockets without a close frame', () => {
  it('after two drops reports WebSockets disabled, stays on SSE, and after a reload starts on the remembered transport', async () => {
    app = await startChat({ proxy: { kind: 'drop-websocket-after', afterMs: 1_000 } });
    const proxy = app.proxy!;
    const ann = await openChat(browser, app.url, { name: 'Ann', room: 'dropping', query: DROP_QUERY });
    pages.push(ann);
    const remembered = async (): Promise<{ transport: string }> =>
      JSON.parse((await ann.page.evaluate((key) => localStorage.getItem(key), MEMORY_KEY)) ?? 'null');

    // Two WebSocket connections, each cut by the proxy after a second: WebSocket is disabled, SSE takes over.
    await ann.waitForWebSocketDisabled();
    await ann.waitForTransport('sse');
    expect(await ann.connectedTransports()).toEqual(['websocket', 'websocket', 'sse']);
    expect(proxy.connections().upgrades.dropped).toBe(2);
    const panel = await ann.panel();
    expect(panel.websocket).toMatch(/^disabled until .* after 2 drops$/);
    expect(await ann.page.locator('#panel-websocket').getAttribute('title')).toMatch(
      /^2 deaths while online with the server reachable: dropped \(1006\)/,
    );
    expect(panel.lastClose).toMatch(
      /^1006 Abnormal closure on websocket\s+.*dropped without a closing handshake/i,
    );
    await ann.waitForOnline('Ann (you)');
    await ann.send('Still here, over SSE');
    await ann.waitForMessage('Still here, over SSE');
    expect(await remembered()).toMatchObject({ transport: 'sse' });

    // The SSE stream is cut too: the client reconnects over SSE again, because WebSocket is still disabled.
    const upgradesBefore = proxy.connections().upgrades.seen;
    proxy.dropAll();
    await ann.waitForConnections(4);
    await ann.waitForTransport('sse');
    expect(await ann.connectedTransports()).toEqual(['websocket', 'websocket', 'sse', 'sse']);
    expect((await ann.panel()).why).toMatch(/websocket is disabled for now/);
    expect(proxy.connections().upgrades.seen).toBe(upgradesBefore);

    // After a reload the remembered transport is tried first and wins at once: no WebSocket attempt at all.
    await ann.page.reload();
    await ann.waitForOnline('Ann (you)');
    await ann.waitForTransport('sse');
    expect(await ann.connectedTransports()).toEqual(['sse']);
    expect((await ann.panel()).why).toMatch(/^sse worked last time \([\d.]+ s ago\) and was tried first/);
    expect(proxy.connections().upgrades.seen).toBe(upgradesBefore);
    expect(await remembered()).toMatchObject({ transport: 'sse' });
    await ann.waitForMessage('Still here, over SSE');
  });
});
