import {
  CloseCode,
  decodeHttpError,
  encodeSendBody,
  httpRoutePath,
  readSseMessage,
  SseReader,
  type SseSignal,
} from '@tether/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_APP_KEY } from './support/http-test-host.js';
import { startHttpTestServer, TextStreamReader, type HttpTestServer } from './support/http-test-server.js';

let server: HttpTestServer | undefined;
const aborts: AbortController[] = [];

afterEach(async () => {
  for (const controller of aborts.splice(0)) controller.abort();
  await server?.close();
  server = undefined;
});

const signalsOf = (text: string): SseSignal[] =>
  new SseReader().push(text).flatMap((message) => {
    const signal = readSseMessage(message);
    return signal.ok ? [signal.value] : [];
  });

async function openStream(s: HttpTestServer, query = 'protocol=7&client=test&version=1') {
  const controller = new AbortController();
  aborts.push(controller);
  const response = await fetch(`${s.origin}${httpRoutePath.sseOpen(TEST_APP_KEY)}?${query}`, {
    signal: controller.signal,
  });
  const reader = new TextStreamReader(response);
  return { response, reader, controller, signals: () => signalsOf(reader.text) };
}

const send = (s: HttpTestServer, session: string, frames: string[]) =>
  fetch(`${s.origin}${httpRoutePath.send(TEST_APP_KEY, session)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: encodeSendBody(frames),
  });

describe('SSE over real HTTP', () => {
  it('connects, receives connection_established, sends a ping and gets the pong, then is closed with a code', async () => {
    server = await startHttpTestServer();
    const s = server;
    const { response, reader, signals } = await openStream(s);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('content-encoding')).not.toMatch(/gzip|br|deflate/);
    await reader.until(() => signals().length >= 2);
    const [session, established] = signals();
    if (session?.type !== 'session' || established?.type !== 'frame') throw new Error('bad preamble');
    expect(JSON.parse(established.frame).event).toBe('pusher:connection_established');

    const sent = await send(s, session.session, ['{"event":"pusher:ping","data":{}}']);
    expect(sent.status).toBe(204);
    await reader.until(() => signals().some((x) => x.type === 'frame' && x.frame.includes('pusher:pong')));

    s.host.last.transport.close(CloseCode.OverCapacity, 'busy');
    await reader.ended();
    expect(signals().at(-1)).toEqual({ type: 'close', code: 4100, reason: 'busy' });
    expect(s.fallbacks.sessionCount()).toBe(0);
  });

  it('relays client events between two SSE sessions', async () => {
    server = await startHttpTestServer();
    const s = server;
    const a = await openStream(s);
    const b = await openStream(s);
    await a.reader.until(() => a.signals().length >= 2);
    await b.reader.until(() => b.signals().length >= 2);
    const sessionOf = (x: typeof a) => (x.signals()[0] as { session: string }).session;
    await send(s, sessionOf(a), ['{"event":"pusher:subscribe","data":{"channel":"private-room"}}']);
    await send(s, sessionOf(b), ['{"event":"pusher:subscribe","data":{"channel":"private-room"}}']);
    await send(s, sessionOf(a), ['{"event":"client-hi","channel":"private-room","data":{"n":1}}']);
    await b.reader.until((text) => text.includes('client-hi'));
    expect(a.reader.text).not.toContain('client-hi');
  });

  it('a refused open is a 200 stream with the close, and sending to an unknown session is 404 {code: 4210}', async () => {
    server = await startHttpTestServer();
    const s = server;
    const refused = await openStream(s, 'client=test');
    await refused.reader.ended();
    expect(refused.signals().at(-1)).toMatchObject({ type: 'close', code: CloseCode.NoProtocolVersion });
    const missing = await send(s, 'no-such-session-000000000', ['{"event":"pusher:ping","data":{}}']);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    expect(decodeHttpError(await missing.text())).toEqual({
      ok: true,
      value: { error: 'Session not found', code: 4210 },
    });
  });

  it('a client that drops the stream is reported closed (1006, unclean) and removed', async () => {
    server = await startHttpTestServer();
    const s = server;
    const { reader, controller, signals } = await openStream(s);
    await reader.until(() => signals().length >= 2);
    expect(s.fallbacks.sessionCount()).toBe(1);
    controller.abort();
    await s.host.until(() => s.host.last.closed !== null);
    expect(s.host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
    expect(s.fallbacks.sessionCount()).toBe(0);
  });

  it('sends a comment heartbeat on an idle stream', async () => {
    server = await startHttpTestServer({ limits: { sseHeartbeatMs: 50 } });
    const { reader } = await openStream(server);
    await reader.until((text) => text.split(': hb\n\n').length > 2);
  });

  it('answers CORS preflights with 204 and the allowed methods and headers', async () => {
    server = await startHttpTestServer();
    const response = await fetch(
      `${server.origin}${httpRoutePath.send(TEST_APP_KEY, 'any-session-000000000000')}`,
      { method: 'OPTIONS' },
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, GET, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type');
  });
});
