import {
  CloseCode,
  decodeHttpError,
  decodeLongPollBatch,
  encodeSendBody,
  httpRoutePath,
  type LongPollBatch,
} from '@tether/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_APP_KEY } from './support/http-test-host.js';
import { startHttpTestServer, type HttpTestServer } from './support/http-test-server.js';

let server: HttpTestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function batch(response: Response): Promise<LongPollBatch> {
  expect(response.status).toBe(200);
  const decoded = decodeLongPollBatch(await response.text());
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

const open = (s: HttpTestServer, query = 'protocol=7&client=test&version=1') =>
  fetch(`${s.origin}${httpRoutePath.longPollOpen(TEST_APP_KEY)}?${query}`);
const poll = (s: HttpTestServer, session: string, cursor: number) =>
  fetch(`${s.origin}${httpRoutePath.longPoll(TEST_APP_KEY, session)}?cursor=${cursor}`);
const send = (s: HttpTestServer, session: string, frames: string[]) =>
  fetch(`${s.origin}${httpRoutePath.send(TEST_APP_KEY, session)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: encodeSendBody(frames),
  });

describe('long-poll over real HTTP', () => {
  it('connects at once, sends, receives through a held poll, and is closed with a code', async () => {
    server = await startHttpTestServer();
    const s = server;
    const first = await batch(await open(s));
    expect(JSON.parse(first.frames[0]!).event).toBe('pusher:connection_established');
    expect(first.cursor).toBe(1);

    const held = poll(s, first.session, first.cursor);
    expect((await send(s, first.session, ['{"event":"pusher:ping","data":{}}'])).status).toBe(204);
    const pong = await batch(await held);
    expect(pong.frames.map((f) => JSON.parse(f).event)).toEqual(['pusher:pong']);
    expect(pong.cursor).toBe(2);

    const closing = poll(s, first.session, pong.cursor);
    s.host.last.transport.close(CloseCode.Unauthorized, 'signed out');
    expect(await batch(await closing)).toMatchObject({
      frames: [],
      close: { code: 4009, reason: 'signed out' },
    });
    const afterClose = await send(s, first.session, ['{"event":"pusher:ping","data":{}}']);
    expect(afterClose.status).toBe(404);
    expect(decodeHttpError(await afterClose.text())).toMatchObject({ ok: true, value: { code: 4009 } });
  });

  it('answers an idle poll with an empty batch after the hold time', async () => {
    server = await startHttpTestServer({ limits: { longPollHoldMs: 100 } });
    const first = await batch(await open(server));
    const started = Date.now();
    const empty = await batch(await poll(server, first.session, first.cursor));
    expect(empty).toEqual({ session: first.session, cursor: first.cursor, frames: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('re-sends a batch whose response was lost', async () => {
    server = await startHttpTestServer();
    const s = server;
    const first = await batch(await open(s));
    s.host.last.transport.send('{"event":"e","channel":"c","data":"1"}');
    const lost = await batch(await poll(s, first.session, first.cursor));
    const again = await batch(await poll(s, first.session, first.cursor));
    expect(again).toEqual(lost);
    expect(again.frames).toEqual(['{"event":"e","channel":"c","data":"1"}']);
  });

  it('collects an abandoned session (short GC) and then answers 404 {code: 4210}', async () => {
    server = await startHttpTestServer({ limits: { sessionGcMs: 150 } });
    const s = server;
    const first = await batch(await open(s));
    await s.host.until(() => s.host.last.closed !== null, 3_000);
    expect(s.host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
    expect(s.fallbacks.sessionCount()).toBe(0);
    const late = await poll(s, first.session, first.cursor);
    expect(late.status).toBe(404);
    expect(decodeHttpError(await late.text())).toEqual({
      ok: true,
      value: { error: 'Session not found', code: 4210 },
    });
  });

  it('refuses an unknown app key with a close batch and a wrong method with 405', async () => {
    server = await startHttpTestServer();
    const refused = await batch(
      await fetch(`${server.origin}${httpRoutePath.longPollOpen('nope')}?protocol=7`),
    );
    expect(refused.close?.code).toBe(CloseCode.AppNotFound);
    const wrong = await fetch(`${server.origin}${httpRoutePath.longPollOpen(TEST_APP_KEY)}?protocol=7`, {
      method: 'POST',
    });
    expect(wrong.status).toBe(405);
  });

  it('server close() ends held polls with the close code and refuses new sessions with 503', async () => {
    server = await startHttpTestServer();
    const s = server;
    const first = await batch(await open(s));
    const held = poll(s, first.session, first.cursor);
    await s.untilRequests(2);
    s.fallbacks.close();
    expect(await batch(await held)).toMatchObject({ close: { code: CloseCode.ReconnectImmediately } });
    const after = await open(s);
    expect(after.status).toBe(503);
    expect(decodeHttpError(await after.text())).toMatchObject({ ok: true, value: { code: 4200 } });
  });

  it('reads the cursor wherever it is in the query, encoded or not, and still refuses a bad one', async () => {
    server = await startHttpTestServer();
    const s = server;
    const first = await batch(await open(s));
    s.host.last.transport.send('{"event":"e","channel":"c","data":"1"}');
    const url = (query: string) =>
      `${s.origin}${httpRoutePath.longPoll(TEST_APP_KEY, first.session)}?${query}`;
    const expected = {
      session: first.session,
      cursor: 2,
      frames: ['{"event":"e","channel":"c","data":"1"}'],
    };
    expect(await batch(await fetch(url(`x=1&cursor=${first.cursor}&cursor=99`)))).toEqual(expected);
    expect(await batch(await fetch(url(`cursor=%3${first.cursor}`)))).toEqual(expected);
    expect(await batch(await fetch(url(`xcursor=5&cursor=${first.cursor}`)))).toEqual(expected);
    for (const query of ['', 'xcursor=1', 'cursor=1x', 'cursor=+1']) {
      expect((await fetch(url(query))).status).toBe(400);
    }
  });

  it('answers polls that are not held (frames waiting) through the same router, many in a row', async () => {
    server = await startHttpTestServer();
    const s = server;
    const first = await batch(await open(s));
    let cursor = first.cursor;
    for (let i = 0; i < 20; i += 1) {
      s.host.last.transport.send(`{"event":"e","channel":"c","data":"${i}"}`);
      const next = await batch(await poll(s, first.session, cursor));
      expect(next.frames).toEqual([`{"event":"e","channel":"c","data":"${i}"}`]);
      cursor = next.cursor;
    }
  });
});
