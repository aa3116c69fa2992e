import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeSockjsArray,
  encodeSockjsClose,
  encodeSockjsMessage,
  encodeSockjsOpen,
  escapeNonAscii,
  parseSockjsBody,
  parseSockjsLine,
  parseSockjsRoute,
  SOCKJS_HEARTBEAT,
  SOCKJS_OPEN,
  SOCKJS_STREAM_ROTATION_CHARS,
} from './sockjs.js';

const line = (encoded: string): string => {
  expect(encoded.endsWith('\n')).toBe(true);
  expect(encoded.slice(0, -1)).not.toContain('\n');
  return encoded.slice(0, -1);
};

const isAscii = (text: string): boolean => [...text].every((ch) => ch.charCodeAt(0) < 0x7f);

describe('SockJS framing', () => {
  const frame =
    '{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1.2\\",\\"activity_timeout\\":120}"}';

  it('round-trips every frame type through parseSockjsLine', () => {
    expect(parseSockjsLine(line(SOCKJS_OPEN))).toEqual({ ok: true, value: { type: 'open' } });
    expect(parseSockjsLine(line(encodeSockjsOpen()))).toEqual({ ok: true, value: { type: 'open' } });
    expect(parseSockjsLine(line(encodeSockjsOpen({ hostname: 'node7.example.com' })))).toEqual({
      ok: true,
      value: { type: 'open', hostname: 'node7.example.com' },
    });
    expect(parseSockjsLine(line(SOCKJS_HEARTBEAT))).toEqual({ ok: true, value: { type: 'heartbeat' } });
    expect(parseSockjsLine(line(encodeSockjsArray([frame, '{"event":"x"}'])))).toEqual({
      ok: true,
      value: { type: 'messages', messages: [frame, '{"event":"x"}'] },
    });
    expect(parseSockjsLine(line(encodeSockjsArray([])))).toEqual({
      ok: true,
      value: { type: 'messages', messages: [] },
    });
    expect(parseSockjsLine(line(encodeSockjsMessage(frame)))).toEqual({
      ok: true,
      value: { type: 'messages', messages: [frame] },
    });
    expect(parseSockjsLine(line(encodeSockjsClose(4001, 'App not found')))).toEqual({
      ok: true,
      value: { type: 'close', code: 4001, reason: 'App not found' },
    });
  });

  it('writes the exact bytes pusher-js expects', () => {
    expect(SOCKJS_OPEN).toBe('o\n');
    expect(SOCKJS_HEARTBEAT).toBe('h\n');
    expect(encodeSockjsClose(4001, 'x')).toBe('c[4001,"x"]\n');
    expect(encodeSockjsArray(['{"a":"b"}'])).toBe('a["{\\"a\\":\\"b\\"}"]\n');
    expect(SOCKJS_STREAM_ROTATION_CHARS).toBe(262_144);
  });

  it('escapes non-ASCII so the output is pure ASCII and JSON.parse restores the text', () => {
    const text = 'héllo € 😀 \u007f \u2028 \ud83d';
    const encoded = encodeSockjsArray([text]);
    expect(isAscii(encoded)).toBe(true);
    expect(encoded).toContain('\\u00e9');
    expect(encoded).toContain('\\ud83d\\ude00');
    expect(JSON.parse(encoded.slice(1))).toEqual([text]);
    expect(isAscii(encodeSockjsMessage(text))).toBe(true);
    expect(isAscii(encodeSockjsClose(4000, text))).toBe(true);
    expect(escapeNonAscii('plain')).toBe('plain');
  });

  it('round-trips arbitrary text through every message frame, ASCII only (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }),
        fc.string({ unit: 'binary' }),
        (messages, reason) => {
          const array = encodeSockjsArray(messages);
          expect(isAscii(array)).toBe(true);
          expect(parseSockjsLine(line(array))).toEqual({ ok: true, value: { type: 'messages', messages } });
          for (const message of messages) {
            expect(parseSockjsLine(line(encodeSockjsMessage(message)))).toEqual({
              ok: true,
              value: { type: 'messages', messages: [message] },
            });
          }
          const close = encodeSockjsClose(4200, reason);
          expect(isAscii(close)).toBe(true);
          expect(parseSockjsLine(line(close))).toEqual({
            ok: true,
            value: { type: 'close', code: 4200, reason },
          });
        },
      ),
    );
  });

  it('keeps the UTF-16 length equal to the byte length after escaping (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }), (messages) => {
        const encoded = encodeSockjsArray(messages);
        expect(encoded.length).toBe(Buffer.byteLength(encoded, 'utf8'));
      }),
    );
  });

  it.each(['', 'x', 'a', 'a{', 'a[1]', 'a"x"', 'm1', 'c', 'c[]', 'c["4001"]', 'o{'])(
    'refuses %j with invalid_body',
    (text) => {
      expect(parseSockjsLine(text)).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    },
  );

  it('reads lenient variants: o with a non-object payload, c without a reason', () => {
    expect(parseSockjsLine('onull')).toEqual({ ok: true, value: { type: 'open' } });
    expect(parseSockjsLine('o{"hostname":5}')).toEqual({ ok: true, value: { type: 'open' } });
    expect(parseSockjsLine('c[4001]')).toEqual({
      ok: true,
      value: { type: 'close', code: 4001, reason: '' },
    });
  });

  it('splits a body into lines and returns the unfinished tail', () => {
    const body = SOCKJS_OPEN + encodeSockjsArray(['{}']) + SOCKJS_HEARTBEAT + '\n' + 'a["par';
    const { frames, rest } = parseSockjsBody(body);
    expect(frames.map((f) => (f.ok ? f.value.type : f.error.code))).toEqual([
      'open',
      'messages',
      'heartbeat',
    ]);
    expect(rest).toBe('a["par');
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc
            .tuple(fc.constantFrom('o', 'a', 'm', 'c', 'h', ''), fc.oneof(fc.json(), fc.string()))
            .map(([k, v]) => k + v),
        ),
        (text) => {
          expect(typeof parseSockjsLine(text).ok).toBe('boolean');
          expect(Array.isArray(parseSockjsBody(text).frames)).toBe(true);
        },
      ),
    );
  });
});

describe('parseSockjsRoute', () => {
  it.each([
    [
      '/pusher/app/app-key/510/aqnv2gqq/xhr_streaming',
      { key: 'app-key', server: '510', session: 'aqnv2gqq', request: 'xhr_streaming' },
    ],
    [
      '/pusher/app/app-key/0/abcdefgh/xhr',
      { key: 'app-key', server: '0', session: 'abcdefgh', request: 'xhr' },
    ],
    [
      '/pusher/app/app-key/999/abcdefgh/xhr_send/',
      { key: 'app-key', server: '999', session: 'abcdefgh', request: 'xhr_send' },
    ],
    ['/pusher/app/a%20b/1/abcdefgh/xhr', { key: 'a b', server: '1', session: 'abcdefgh', request: 'xhr' }],
  ])('%s', (path, route) => {
    expect(parseSockjsRoute(path)).toEqual(route);
  });

  it('honours a custom httpPath', () => {
    expect(parseSockjsRoute('/rt/app/k/1/abcdefgh/xhr', '/rt')).toMatchObject({ key: 'k' });
    expect(parseSockjsRoute('/app/k/1/abcdefgh/xhr', '')).toMatchObject({ key: 'k' });
    expect(parseSockjsRoute('/pusher/app/k/1/abcdefgh/xhr', '/rt')).toBeNull();
  });

  it.each([
    '/pusher/app/k/1/abcdefgh/websocket',
    '/pusher/app/k/1/abcdefgh',
    '/pusher/app/k/1/xhr',
    '/pusher/app/k/1.2/abcdefgh/xhr',
    '/pusher/app/k/1/abc.defgh/xhr',
    `/pusher/app/k/${'1'.repeat(17)}/abcdefgh/xhr`,
    `/pusher/app/k/1/${'s'.repeat(65)}/xhr`,
    '/pusher/app/%E0%A4%A/1/abcdefgh/xhr',
    '/pusher/app//1/abcdefgh/xhr',
    '/app/k/1/abcdefgh/xhr',
  ])('%s → null', (path) => {
    expect(parseSockjsRoute(path)).toBeNull();
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.webPath(), fc.json()),
        fc.string(),
        (path, prefix) => {
          const route = parseSockjsRoute(path, prefix);
          if (route) expect(['xhr_streaming', 'xhr', 'xhr_send']).toContain(route.request);
        },
      ),
    );
  });
});
