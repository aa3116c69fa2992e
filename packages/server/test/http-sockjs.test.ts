import { SOCKJS_STREAM_ROTATION_CHARS } from '@tether/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { TetherServerInput } from '@tether/server';
import { TextStreamReader } from './support/http-test-server.js';
import { nextServerEvent, startServer, type TestServer } from './support/test-server.js';

let server: TestServer | undefined;
const readers: AbortController[] = [];

afterEach(async () => {
  for (const controller of readers.splice(0)) controller.abort();
  await server?.close();
  server = undefined;
});

const HEARTBEAT_MS = 100;
const QUERY = 'protocol=7&client=js&version=8.6.0';
let sessionCounter = 0;

async function start(options: TetherServerInput = {}): Promise<TestServer> {
  server = await startServer({
    httpFallbacks: { sockjsHeartbeatMs: HEARTBEAT_MS, sockjsPollHoldMs: HEARTBEAT_MS },
    ...options,
  });
  return server;
}

/** A pusher-js-style session path: `{server}/{session}` chosen by the client. */
function newSession(s: TestServer): (request: 'xhr_streaming' | 'xhr' | 'xhr_send') => string {
  sessionCounter += 1;
  const base = s.httpUrl(`/pusher/app/app-key/${sessionCounter}/s${sessionCounter}abcdef`);
  let n = 0;
  return (request) => {
    n += 1;
    return `${base}/${request}?${request === 'xhr_send' ? '' : `${QUERY}&`}t=${Date.now()}&n=${n}`;
  };
}

const post = (url: string, body?: string, signal?: AbortSignal): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body } : {}),
    ...(signal ? { signal } : {}),
  });

function openStream(url: string): Promise<{ response: Response; reader: TextStreamReader }> {
  const controller = new AbortController();
  readers.push(controller);
  return post(url, undefined, controller.signal).then((response) => ({
    response,
    reader: new TextStreamReader(response),
  }));
}

/** Every `a[...]` line of a body, each element parsed as the Pusher frame it holds. */
function frames(text: string): { event: string; channel?: string; data?: unknown }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('a'))
    .flatMap((line) =>
      (JSON.parse(line.slice(1)) as unknown[]).map((element) => {
        expect(typeof element).toBe('string');
        return JSON.parse(element as string) as { event: string; channel?: string; data?: unknown };
      }),
    );
}

const subscribeBody = (channel: string): string =>
  JSON.stringify([JSON.stringify({ event: 'pusher:subscribe', data: { auth: '', channel } })]);

describe('pusher-js xhr_streaming over real HTTP (spec §7.4)', () => {
  it('answers o once, then connection_established as an a[...] of strings, with the streaming headers, and h when idle', async () => {
    const s = await start();
    const url = newSession(s);
    const { response, reader } = await openStream(url('xhr_streaming'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=UTF-8');
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-encoding')).toBeNull();
    const text = await reader.until((t) => t.includes('\nh\nh\n'));
    expect(text.startsWith('o\n')).toBe(true);
    expect(frames(text)[0]).toMatchObject({ event: 'pusher:connection_established' });

    // A re-attached stream on the same session never gets `o` again; the old one is ended quietly.
    const again = await openStream(url('xhr_streaming'));
    await reader.ended();
    expect(reader.text).not.toContain('c[');
    const sent = await post(url('xhr_send'), subscribeBody('news'));
    expect(sent.status).toBe(204);
    expect(sent.headers.get('access-control-allow-origin')).toBe('*');
    const reattached = await again.reader.until((t) => t.includes('subscription_succeeded'));
    expect(reattached.startsWith('o')).toBe(false);
  });

  it('escapes non-ASCII so that characters written equal bytes sent', async () => {
    const s = await start();
    const url = newSession(s);
    const { reader } = await openStream(url('xhr_streaming'));
    await post(url('xhr_send'), subscribeBody('news'));
    await reader.until((t) => t.includes('subscription_succeeded'));
    await s.tether.trigger(s.tether.apps.findByKey('app-key')!, [
      { channel: 'news', name: 'text', data: '{"t":"é ✓ 日本"}' },
    ]);
    const text = await reader.until((t) => t.includes('"text'));
    expect([...text].every((ch) => ch.charCodeAt(0) < 0x80)).toBe(true);
    expect(frames(text).at(-1)).toMatchObject({ event: 'text', data: '{"t":"é ✓ 日本"}' });
  });

  it('stops writing a stream past 256 KiB and hands the rest to the next stream: nothing lost, nothing repeated', async () => {
    const s = await start();
    const url = newSession(s);
    const first = await openStream(url('xhr_streaming'));
    await post(url('xhr_send'), subscribeBody('bulk'));
    await first.reader.until((t) => t.includes('subscription_succeeded'));
    const app = s.tether.apps.findByKey('app-key')!;
    const count = 200;
    const payload = 'x'.repeat(2048);
    for (let i = 0; i < count; i += 1)
      await s.tether.trigger(app, [{ channel: 'bulk', name: 'item', data: `{"i":${i},"p":"${payload}"}` }]);
    await first.reader.until((t) => t.length > SOCKJS_STREAM_ROTATION_CHARS);
    // The server never ends the stream itself; the client re-opens it (here: the test, as pusher-js does).
    expect(first.reader.done).toBe(false);
    const writtenToFirst = first.reader.text.length;
    const second = await openStream(url('xhr_streaming'));
    const all = (): number[] =>
      [...frames(first.reader.text), ...frames(second.reader.text)]
        .filter((f) => f.event === 'item')
        .map((f) => (JSON.parse(f.data as string) as { i: number }).i);
    await second.reader.until(() => all().length >= count);
    expect(all()).toEqual([...Array(count).keys()]);
    // The first response stopped shortly after the mark (one batch at most past it).
    expect(writtenToFirst).toBeLessThan(SOCKJS_STREAM_ROTATION_CHARS + count * (payload.length + 100));
    expect(second.reader.text.startsWith('o')).toBe(false);
  });
});

describe('pusher-js xhr_polling over real HTTP (spec §7.4)', () => {
  it('first poll o and ended; next poll a[connection_established]; an idle poll h with 200', async () => {
    const s = await start();
    const url = newSession(s);
    const first = await post(url('xhr'));
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('o\n');
    const second = await post(url('xhr'));
    expect(frames(await second.text())[0]).toMatchObject({ event: 'pusher:connection_established' });
    const idle = await post(url('xhr'));
    expect(idle.status).toBe(200);
    expect(await idle.text()).toBe('h\n');
  });

  it('xhr_send to an unknown session is 404 and a CORS preflight is answered 204', async () => {
    const s = await start();
    const url = newSession(s);
    expect((await post(url('xhr_send'), '[]')).status).toBe(404);
    const preflight = await fetch(url('xhr_streaming'), {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://page.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  });

  it('a drain waits for a client between two polls to collect its c[4200] on the next poll', async () => {
    const s = await start();
    const url = newSession(s);
    await post(url('xhr'));
    await (await post(url('xhr'))).text();
    const ended = nextServerEvent(s.tether, 'disconnection');
    let drained = false;
    const drain = s.tether.drain({ drainMs: 5000 }).then(() => (drained = true));
    expect(await ended).toMatchObject({ code: 4200 });
    // A full HTTP round trip later the drain still waits; meanwhile a new session is refused with 4100.
    const refused = await post(newSession(s)('xhr'));
    expect(await refused.text()).toMatch(/^o\nc\[4100,/);
    expect(drained).toBe(false);
    const poll = await post(url('xhr'));
    const body = await poll.text();
    expect(body).toContain('c[4200,');
    expect(frames(body)[0]).toMatchObject({ event: 'pusher:error' });
    await drain;
    expect(drained).toBe(true);
  });

  it('a drain is still bounded when the client never polls again', async () => {
    const s = await start();
    const url = newSession(s);
    await post(url('xhr'));
    await (await post(url('xhr'))).text();
    const started = Date.now();
    await s.tether.drain({ drainMs: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
