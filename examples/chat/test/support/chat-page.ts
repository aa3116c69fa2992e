import type { Browser, BrowserContext, Page } from 'playwright-core';

/** What the connection panel shows, read from the DOM as a person sees it. */
export interface PanelText {
  state: string;
  transport: string;
  websocket: string;
  why: string;
  lastClose: string;
}

export interface ChatPage {
  page: Page;
  context: BrowserContext;
  /** Names in the online list, "(you)" included. */
  online(): Promise<string[]>;
  panel(): Promise<PanelText>;
  waitForOnline(name: string, present?: boolean): Promise<void>;
  waitForMessage(text: string): Promise<void>;
  waitForTyping(text: string): Promise<void>;
  waitForTransport(transport: string): Promise<void>;
  /** Transports of every connection this page load made, in order (`window.tetherChat`). */
  connectedTransports(): Promise<string[]>;
  waitForConnections(count: number): Promise<void>;
  /** The `data-websocket` of the header: "disabled" while the client has WebSocket banned. */
  waitForWebSocketDisabled(): Promise<void>;
  type(text: string): Promise<void>;
  send(text: string): Promise<void>;
  close(): Promise<void>;
}

const AWAIT_MS = 15_000;

/** What app.js exposes for tests and the console. */
interface ChatWindow {
  tetherChat: { connectedTransports: string[] };
}

/**
 * Opens the chat in its own browser context (its own localStorage and sessionStorage, as a
 * separate person would have) and joins `room` as `name` through the URL (`?name=&room=`).
 * `query` adds client options the page reads from the URL (e.g. `{ probeDelayMs: 600000 }`).
 */
export async function openChat(
  browser: Browser,
  url: string,
  person: { name: string; room: string; query?: Record<string, string | number> },
  reuse?: BrowserContext,
): Promise<ChatPage> {
  const context = reuse ?? (await browser.newContext({ viewport: { width: 1100, height: 620 } }));
  const page = await context.newPage();
  const query = new URLSearchParams({ name: person.name, room: person.room });
  for (const [key, value] of Object.entries(person.query ?? {})) query.set(key, String(value));
  await page.goto(`${url}?${query.toString()}`);
  const chat = chatPage(page, context);
  await chat.waitForOnline(`${person.name} (you)`);
  return chat;
}

export function chatPage(page: Page, context: BrowserContext): ChatPage {
  const text = (selector: string): Promise<string> => page.locator(selector).innerText();
  return {
    page,
    context,
    online: () => page.locator('#members li').allInnerTexts(),
    panel: async () => ({
      state: await text('#panel-state'),
      transport: await text('#panel-transport'),
      websocket: await text('#panel-websocket'),
      why: await text('#panel-why'),
      lastClose: await text('#panel-close'),
    }),
    waitForOnline: async (name, present = true) => {
      await page.waitForFunction(
        ({ name, present }) =>
          [...document.querySelectorAll('#members li')].some((li) => li.textContent === name) === present,
        { name, present },
        { timeout: AWAIT_MS },
      );
    },
    waitForMessage: async (message) => {
      await page.locator('#messages .text', { hasText: message }).first().waitFor({ timeout: AWAIT_MS });
    },
    waitForTyping: async (typing) => {
      await page.waitForFunction(
        (typing) => document.querySelector('#typing')?.textContent === typing,
        typing,
        { timeout: AWAIT_MS },
      );
    },
    waitForTransport: async (transport) => {
      await page.waitForFunction(
        (transport) =>
          document.querySelector('#panel-transport')?.textContent === transport &&
          document.querySelector('#panel-state')?.textContent === 'connected',
        transport,
        { timeout: AWAIT_MS },
      );
    },
    connectedTransports: () =>
      page.evaluate(() => (window as unknown as ChatWindow).tetherChat.connectedTransports),
    waitForConnections: async (count) => {
      await page.waitForFunction(
        (count) => (window as unknown as ChatWindow).tetherChat.connectedTransports.length === count,
        count,
        {
          timeout: AWAIT_MS,
        },
      );
    },
    waitForWebSocketDisabled: async () => {
      await page.waitForFunction(
        () => document.querySelector('#connection')?.getAttribute('data-websocket') === 'disabled',
        undefined,
        {
          timeout: AWAIT_MS,
        },
      );
    },
    type: async (message) => {
      await page.locator('#message').pressSequentially(message);
    },
    send: async (message) => {
      await page.locator('#message').fill(message);
      await page.locator('#message').press('Enter');
    },
    close: () => context.close(),
  };
}
