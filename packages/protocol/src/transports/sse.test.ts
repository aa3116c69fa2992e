import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeSseClose,
  encodeSseFrame,
  encodeSseHeartbeat,
  encodeSseOpen,
  readSseMessage,
  SSE_RETRY_MS,
  SseReader,
  type SseMessage,
} from './sse.js';

const frame =
  '{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1.2\\",\\"activity_timeout\\":120}"}';

const stream = (): string =>
  encodeSseOpen('session-abcdefghij') +
  encodeSseFrame(frame) +
  encodeSseHeartbeat() +
  encodeSseFrame('{"event":"x","channel":"c","data":"é😀"}', '7') +
  encodeSseFrame('line one\nline two\n\nline four') +
  encodeSseClose(4200, 'Reconnect please');

const expectedMessages: SseMessage[] = [
  { event: 'session', data: '{"session":"session-abcdefghij"}' },
  { event: 'message', data: frame },
  { event: 'message', data: '{"event":"x","channel":"c","data":"é😀"}', id: '7' },
  // id is the last event id: it persists until the stream sets another (WHATWG).
  { event: 'message', data: 'line one\nline two\n\nline four', id: '7' },
  { event: 'close', data: '{"code":4200,"reason":"Reconnect please"}', id: '7' },
];

describe('SSE writer → SseReader', () => {
  it('round-trips a whole stream in one chunk', () => {
    expect(new SseReader().push(stream())).toEqual(expectedMessages);
  });

  it('writes the retry hint first so EventSource never reconnects by itself', () => {
    expect(encodeSseOpen('s')).toMatch(new RegExp(`^retry: ${SSE_RETRY_MS}\n`));
    expect(SSE_RETRY_MS).toBeGreaterThanOrEqual(3_600_000);
  });

  it('round-trips when split at every position into two chunks', () => {
    const text = stream();
    for (let i = 0; i <= text.length; i += 1) {
      const reader = new SseReader();
      const got = [...reader.push(text.slice(0, i)), ...reader.push(text.slice(i))];
      expect(got, `split at ${i}`).toEqual(expectedMessages);
    }
  });

  it('round-trips when fed one character at a time, with any line ending', () => {
    for (const text of [stream(), stream().replace(/\n/g, '\r\n'), stream().replace(/\n/g, '\r')]) {
      const reader = new SseReader();
      const got = [...text].flatMap((ch) => [...reader.push(''), ...reader.push(ch)]);
      expect(got).toEqual(expectedMessages);
    }
  });

  it('reads CRLF and CR line endings, split at every position', () => {
    const crlf = stream().replace(/\n/g, '\r\n');
    const cr = stream().replace(/\n/g, '\r');
    for (const text of [crlf, cr]) {
      expect(new SseReader().push(text)).toEqual(expectedMessages);
      for (let i = 0; i <= text.length; i += 1) {
        const reader = new SseReader();
        const got = [...reader.push(text.slice(0, i)), ...reader.push(text.slice(i))];
        expect(got, `split at ${i} of ${JSON.stringify(text.slice(i - 1, i + 1))}`).toEqual(expectedMessages);
      }
    }
  });

  it('turns CR and CRLF inside data into LF (EventSource does the same)', () => {
    expect(new SseReader().push(encodeSseFrame('a\r\nb\rc'))).toEqual([
      { event: 'message', data: 'a\nb\nc' },
    ]);
  });

  it('keeps an empty data line and a value without a space after the colon', () => {
    expect(new SseReader().push(encodeSseFrame(''))).toEqual([{ event: 'message', data: '' }]);
    expect(new SseReader().push('data:x\ndata\n\n')).toEqual([{ event: 'message', data: 'x\n' }]);
  });

  it('ignores comments, unknown fields, retry and blocks without data', () => {
    expect(new SseReader().push(': hb\n\nretry: 5\nfoo: bar\n\nevent: close\n\n')).toEqual([]);
  });

  it('ignores an id that contains NUL', () => {
    expect(new SseReader().push('id: a\0b\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('holds an unterminated message until its blank line arrives', () => {
    const reader = new SseReader();
    expect(reader.push('data: x\n')).toEqual([]);
    expect(reader.push('\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('round-trips arbitrary single-line frames split anywhere (property)', () => {
    const line = fc.string({ unit: 'binary' }).map((s) => s.replace(/[\r\n]/g, ' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), fc.nat(), (frames, at) => {
        const text = frames.map((f) => encodeSseFrame(f)).join('');
        const split = at % (text.length + 1);
        const reader = new SseReader();
        const got = [...reader.push(text.slice(0, split)), ...reader.push(text.slice(split))];
        expect(got).toEqual(frames.map((data) => ({ event: 'message', data })));
      }),
    );
  });

  it('never throws on arbitrary chunks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.json(),
            fc.constantFrom('\r', '\n', '\r\n', ':', 'data: '),
          ),
        ),
        (chunks) => {
          const reader = new SseReader();
          for (const chunk of chunks)
            for (const message of reader.push(chunk))
              expect(readSseMessage(message).ok).toBeTypeOf('boolean');
        },
      ),
    );
  });
});

describe('readSseMessage', () => {
  it('reads the session, frames and the close', () => {
    const [session, first, second, third, close] = expectedMessages.map(readSseMessage);
    expect(session).toEqual({ ok: true, value: { type: 'session', session: 'session-abcdefghij' } });
    expect(first).toEqual({ ok: true, value: { type: 'frame', frame } });
    expect(second).toEqual({
      ok: true,
      value: { type: 'frame', frame: '{"event":"x","channel":"c","data":"é😀"}', id: '7' },
    });
    expect(third).toMatchObject({ ok: true, value: { type: 'frame' } });
    expect(close).toEqual({ ok: true, value: { type: 'close', code: 4200, reason: 'Reconnect please' } });
  });

  it('treats a close without a code as abnormal', () => {
    expect(readSseMessage({ event: 'close', data: '{}' })).toEqual({
      ok: true,
      value: { type: 'close', code: 1006, reason: '' },
    });
  });

  it.each([
    { event: 'session', data: 'nope' },
    { event: 'session', data: '{"session":5}' },
    { event: 'session', data: 'null' },
    { event: 'close', data: '' },
    { event: 'close', data: '"x"' },
    { event: 'mystery', data: '{}' },
  ])('refuses %j with invalid_body', (message) => {
    expect(readSseMessage(message)).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
  });
});
