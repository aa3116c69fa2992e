import { Readable } from 'node:stream';
import { CloseCode, SockjsRequest } from '@tether/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeResponse } from '../../test/support/http-fake-response.js';
import { makeHttpTestContext, receiveRequest, endOfTurn } from '../../test/support/http-test-context.js';
import { sockjsReceive, sockjsSend } from './http-sockjs-endpoint.js';
import type { BodyRequest } from './http-request-body.js';

const route = { key: 'app-key', server: '7', session: 'abcdefgh', request: SockjsRequest.Polling };
const sendRoute = { ...route, request: SockjsRequest.Send };
const HOLD_MS = 25_000;

const bodyRequest = (text: string): BodyRequest =>
  Object.assign(Readable.from([Buffer.from(text)]), {
    headers: { 'content-type': 'application/json' },
  }) as unknown as BodyRequest;

function setup() {
  const made = makeHttpTestContext({
    sockjsPollHoldMs: HOLD_MS,
    sessionGcMs: 10_000,
    maxFramesPerBody: 3,
    maxBodyBytes: 1_000,
  });
  const poll = (): FakeResponse => {
    const res = new FakeResponse();
    sockjsReceive(made.context, route, receiveRequest(), res);
    return res;
  };
  const send = async (text: string): Promise<FakeResponse> => {
    const res = new FakeResponse();
    await sockjsSend(made.context, sendRoute, bodyRequest(text), res);
    return res;
  };
  return { ...made, poll, send };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('pusher-js xhr_polling', () => {
  it('answers the first poll o and ends it; the next poll carries connection_established', () => {
    const { poll, host } = setup();
    const first = poll();
    expect(first.body).toBe('o\n');
    expect(first.writableEnded).toBe(true);
    expect(host.last.transport.name).toBe('xhr_polling');
    const second = poll();
    expect(second.status).toBe(200);
    expect(second.body).toMatch(/^a\["\{\\"event\\":\\"pusher:connection_established\\"/);
    expect(second.body.endsWith('\n')).toBe(true);
  });

  it('holds a poll until frames come and answers with one a[...] holding all of them', async () => {
    const { poll, host } = setup();
    poll();
    poll();
    const held = poll();
    expect(held.headersSent).toBe(false);
    host.last.transport.send('{"event":"x"}');
    host.last.transport.send('{"event":"y"}');
    endOfTurn();
    await Promise.resolve();
    expect(held.body).toBe('a["{\\"event\\":\\"x\\"}","{\\"event\\":\\"y\\"}"]\n');
  });

  it('answers h with status 200 after the hold time', () => {
    const { poll } = setup();
    poll();
    poll();
    const held = poll();
    vi.advanceTimersByTime(HOLD_MS);
    expect([held.status, held.body]).toEqual([200, 'h\n']);
  });

  it('a server close answers the held poll with the close', async () => {
    const { poll, host } = setup();
    poll();
    poll();
    const held = poll();
    host.last.transport.send('{"event":"pusher:error"}');
    host.last.transport.close(CloseCode.ReconnectImmediately, 'restart');
    endOfTurn();
    await Promise.resolve();
    expect(held.body).toBe('a["{\\"event\\":\\"pusher:error\\"}"]\nc[4200,"restart"]\n');
  });

  it('xhr_send passes frames in order and answers 204 with CORS; [] is a ping', async () => {
    const { poll, send, host } = setup();
    poll();
    const ok = await send(
      '["{\\"event\\":\\"pusher:ping\\",\\"data\\":{}}","{\\"event\\":\\"client-x\\",\\"channel\\":\\"private-a\\",\\"data\\":{}}"]',
    );
    expect(ok.status).toBe(204);
    expect(ok.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(host.last.frames).toEqual([
      '{"event":"pusher:ping","data":{}}',
      '{"event":"client-x","channel":"private-a","data":{}}',
    ]);
    const ping = await send('[]');
    expect(ping.status).toBe(204);
    expect(host.last.frames).toHaveLength(2);
    const reply = poll();
    expect(reply.body).toContain('pusher:pong');
  });

  it('xhr_send to an unknown session is 404; a malformed body 400; too many frames 400; too large 413', async () => {
    const { poll, send } = setup();
    expect((await send('[]')).status).toBe(404);
    poll();
    expect((await send('{"not":"an array"}')).status).toBe(400);
    expect((await send('[1]')).status).toBe(400);
    expect((await send('["a","b","c","d"]')).status).toBe(400);
    expect((await send(`["${'x'.repeat(2_000)}"]`)).status).toBe(413);
    expect((await send('[]')).status).toBe(204);
  });

  it('is collected when nobody polls for sessionGcMs, and later requests learn it is gone', async () => {
    const { poll, send, host } = setup();
    poll();
    vi.advanceTimersByTime(10_000);
    expect(host.last.closed).toMatchObject({ code: CloseCode.AbnormalClosure, wasClean: false });
    expect(poll().body).toBe('c[4210,"Session not found"]\n');
    expect((await send('[]')).status).toBe(404);
  });
});
