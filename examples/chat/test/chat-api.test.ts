import { afterEach, describe, expect, it } from 'vitest';
import { Tether, type ChannelEventContext } from '@tether/client';
import { resolveApp, verifyChannelAuth } from '@tether/server';
import { createChatServer, type ChatServer } from '../src/chat-app.js';
import { chatDefaults } from '../src/chat-options.js';

let chat: ChatServer | undefined;
let client: Tether | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await chat?.close();
  chat = undefined;
});

async function start(): Promise<string> {
  let id = 0;
  chat = createChatServer(
    { port: 0, host: '127.0.0.1' },
    { now: () => 1_700_000_000_000, nextId: () => `m${++id}` },
  );
  return (await chat.listen()).url;
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const json = (body: unknown, contentType = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': contentType },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const message = { room: 'lobby', userId: 'user-0001', name: 'Ann', text: '  hello there  ' };

describe('chat backend: POST /auth', () => {
  it('signs a presence subscription with the name the person picked as user_info', async () => {
    const url = await start();
    const fields = {
      socket_id: '123.456',
      channel_name: 'presence-chat-lobby',
      name: '  Ann  ',
      user_id: 'user-0001',
    };
    const response = await fetch(`${url}auth`, form(fields));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { auth: string; channel_data: string };
    expect(JSON.parse(body.channel_data)).toEqual({ user_id: 'user-0001', user_info: { name: 'Ann' } });
    const app = resolveApp(chatDefaults.app);
    expect(verifyChannelAuth(app, '123.456', 'presence-chat-lobby', body.auth, body.channel_data)).toEqual({
      ok: true,
      value: true,
    });
  });

  it.each([
    [
      { socket_id: 'nope', channel_name: 'presence-chat-lobby', name: 'Ann', user_id: 'user-0001' },
      400,
      'invalid_socket_id',
    ],
    [
      { socket_id: '1.2', channel_name: 'private-secrets', name: 'Ann', user_id: 'user-0001' },
      403,
      'invalid_channel',
    ],
    [
      { socket_id: '1.2', channel_name: 'presence-chat-no spaces', name: 'Ann', user_id: 'user-0001' },
      403,
      'invalid_channel',
    ],
    [
      { socket_id: '1.2', channel_name: 'presence-chat-lobby', name: '   ', user_id: 'user-0001' },
      400,
      'invalid_name',
    ],
    [
      { socket_id: '1.2', channel_name: 'presence-chat-lobby', name: 'x'.repeat(33), user_id: 'user-0001' },
      400,
      'invalid_name',
    ],
    [{ socket_id: '1.2', channel_name: 'presence-chat-lobby', name: 'Ann' }, 400, 'invalid_user_id'],
  ])('refuses %j with %i %s', async (fields, status, code) => {
    const url = await start();
    const response = await fetch(`${url}auth`, form(fields));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { code } });
  });
});

describe('chat backend: messages', () => {
  it('stores a message, publishes it to the room through the server API and serves it as history', async () => {
    const url = await start();
    const port = chat!.http.address() as { port: number };
    client = new Tether(chatDefaults.app.key, {
      host: '127.0.0.1',
      port: port.port,
      channelAuthorization: { endpoint: `${url}auth`, params: { name: 'Bob', user_id: 'user-0002' } },
    });
    const channel = client.subscribe('presence-chat-lobby');
    await new Promise<void>((resolve) => channel.bind('pusher:subscription_succeeded', () => resolve()));
    const received = new Promise<ChannelEventContext>((resolve) => channel.bind('message', resolve));

    const response = await fetch(`${url}messages`, json(message));
    expect(response.status).toBe(201);
    const stored = {
      id: 'm1',
      room: 'lobby',
      userId: 'user-0001',
      name: 'Ann',
      text: 'hello there',
      at: 1_700_000_000_000,
    };
    expect(await response.json()).toEqual({ message: stored });
    expect((await received).data).toEqual(stored);

    const history = await fetch(`${url}rooms/lobby/messages`);
    expect(await history.json()).toEqual({ room: 'lobby', messages: [stored] });
    const empty = await fetch(`${url}rooms/elsewhere/messages`);
    expect(await empty.json()).toEqual({ room: 'elsewhere', messages: [] });
  });

  it.each([
    ['an empty text', json({ ...message, text: '   ' }), 400, 'invalid_text'],
    ['a text over 500 characters', json({ ...message, text: 'x'.repeat(501) }), 400, 'invalid_text'],
    ['a bad room', json({ ...message, room: '../etc' }), 400, 'invalid_room'],
    ['no user id', json({ ...message, userId: undefined }), 400, 'invalid_user_id'],
    ['a JSON array', json([message]), 400, 'invalid_room'],
    ['malformed JSON', json('{"room":'), 400, 'invalid_body'],
    ['a form body', json('room=lobby', 'application/x-www-form-urlencoded'), 415, 'invalid_body'],
    ['a body over the limit', json({ ...message, padding: 'x'.repeat(10_000) }), 413, 'body_too_large'],
  ])('answers %s with %i %s and stores nothing', async (_label, init, status, code) => {
    const url = await start();
    const response = await fetch(`${url}messages`, init);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(chat!.history.of('lobby')).toEqual([]);
  });

  it('refuses a history request for an invalid room name', async () => {
    const url = await start();
    const response = await fetch(`${url}rooms/${encodeURIComponent('a b')}/messages`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_room' } });
  });
});

describe('chat backend: page and config', () => {
  it('serves the page, its script and the app key from one origin', async () => {
    const url = await start();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/vendor/tether.umd.min.js"></script>');
    expect((await fetch(`${url}app.js`)).status).toBe(200);
    expect(await (await fetch(`${url}config.json`)).json()).toEqual({ appKey: chatDefaults.app.key });
  });
});
