import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startChat, type ChatUnderTest } from './support/chat-under-test.js';
import { openChat, type ChatPage } from './support/chat-page.js';
import { launchChromium } from './support/chromium.js';
import { BUNDLE_BUILD_TIMEOUT_MS } from './support/client-bundle-build.js';

/**
 * Every run writes the conversation to test/artifacts/ (ignored by git); with UPDATE_SCREENSHOT=1 it
 * also refreshes docs/screenshot.png, the picture the README shows.
 */
const ARTIFACTS = new URL('./artifacts/', import.meta.url);
const SCREENSHOT = fileURLToPath(new URL('two-pages.png', ARTIFACTS));
const README_SCREENSHOT = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));

let browser: Browser;
let app: ChatUnderTest;
const pages: ChatPage[] = [];

beforeAll(async () => {
  app = await startChat();
  browser = await launchChromium();
}, BUNDLE_BUILD_TIMEOUT_MS);

afterAll(async () => {
  for (const page of pages.splice(0)) await page.close().catch(() => undefined);
  await browser?.close();
  await app?.close();
});

async function join(name: string, room: string): Promise<ChatPage> {
  const page = await openChat(browser, app.url, { name, room });
  pages.push(page);
  return page;
}

/** Both pages side by side in one image, for the README. */
async function writeConversationScreenshot(left: ChatPage, right: ChatPage): Promise<void> {
  const [a, b] = await Promise.all([left.page.screenshot(), right.page.screenshot()]);
  const canvas = await browser.newPage({ viewport: { width: 2220, height: 640 } });
  const img = (png: Buffer): string =>
    `<img src="data:image/png;base64,${png.toString('base64')}" width="1100" height="620">`;
  await canvas.setContent(
    `<body style="margin:0;padding:10px;background:#cfd3dc;display:flex;gap:0 20px">${img(a)}${img(b)}</body>`,
  );
  mkdirSync(fileURLToPath(ARTIFACTS), { recursive: true });
  const png = await canvas.screenshot();
  writeFileSync(SCREENSHOT, png);
  if (process.env['UPDATE_SCREENSHOT'] === '1') writeFileSync(README_SCREENSHOT, png);
  await canvas.close();
}

describe('chat example in Chromium: two people in a room', () => {
  it('each sees the other online, messages cross over, typing shows and clears', async () => {
    const ann = await join('Ann', 'lobby');
    const bob = await join('Bob', 'lobby');
    await ann.waitForOnline('Bob');
    await bob.waitForOnline('Ann');
    expect(await ann.online()).toEqual(['Ann (you)', 'Bob']);
    expect(await bob.online()).toEqual(['Ann', 'Bob (you)']);
    expect((await ann.panel()).transport).toBe('websocket');

    // Typing: a client event shown on the other page, cleared after its timeout without a message.
    await ann.type('Hi Bo');
    await bob.waitForTyping('Ann is typing…');
    await bob.waitForTyping('');

    // A message goes through the backend and appears on both pages; a pending typing line clears with it.
    await ann.type('b');
    await bob.waitForTyping('Ann is typing…');
    await ann.page.locator('#message').press('Enter');
    await bob.waitForMessage('Hi Bob');
    expect(await bob.page.locator('#typing').textContent()).toBe('');
    await ann.waitForMessage('Hi Bob');
    expect(await ann.page.locator('#messages li.mine .text').allInnerTexts()).toEqual(['Hi Bob']);
    expect(await bob.page.locator('#messages li:not(.mine) .text').allInnerTexts()).toEqual(['Hi Bob']);

    await bob.send('Hello Ann! Typing shows up here, and messages come from the backend.');
    await ann.waitForMessage('Hello Ann!');
    await ann.send('And the connection panel says how we are connected.');
    await bob.waitForMessage('connection panel');
    await ann.type('One more');
    await bob.waitForTyping('Ann is typing…');
    await writeConversationScreenshot(ann, bob);

    // Someone joining later gets the room's recent messages from the backend.
    const cy = await join('Cy', 'lobby');
    await cy.waitForMessage('connection panel');
    expect(await cy.page.locator('#messages .text').allInnerTexts()).toEqual([
      'Hi Bob',
      'Hello Ann! Typing shows up here, and messages come from the backend.',
      'And the connection panel says how we are connected.',
    ]);
  });

  it('closing a page takes its person off the other page’s online list', async () => {
    const dee = await join('Dee', 'closing');
    const eve = await join('Eve', 'closing');
    await dee.waitForOnline('Eve');
    await eve.close();
    await dee.waitForOnline('Eve', false);
    expect(await dee.online()).toEqual(['Dee (you)']);
    expect(await dee.page.locator('#online-count').textContent()).toBe('1');
  });
});
