import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeLongPollBatch,
  encodeLongPollBatch,
  encodeLongPollBatchAfterHead,
  encodeLongPollBatchHead,
  encodeLongPollBatchWithFrames,
  encodeLongPollFrames,
  parseCursor,
  type LongPollBatch,
} from './long-poll.js';

/** Any batch, `close` optional, with session ids from `session`. */
const arbitraryBatch = (session: fc.Arbitrary<string> = fc.string()) =>
  fc.record(
    {
      session,
      cursor: fc.nat(),
      frames: fc.array(fc.string({ unit: 'binary' })),
      close: fc.record({ code: fc.integer({ min: 1000, max: 4999 }), reason: fc.string() }),
    },
    { requiredKeys: ['session', 'cursor', 'frames'] },
  );

describe('long-poll batches', () => {
  it.each<[string, LongPollBatch]>([
    [
      'a batch',
      {
        session: 'abcdefghijklmnop',
        cursor: 12,
        frames: ['{"event":"pusher:pong","data":"{}"}', '{"event":"x"}'],
      },
    ],
    ['an empty heartbeat batch', { session: 'abcdefghijklmnop', cursor: 0, frames: [] }],
    [
      'a closing batch',
      { session: 's', cursor: 3, frames: ['{}'], close: { code: 4001, reason: 'App not found' } },
    ],
  ])('round-trips %s', (_name, batch) => {
    expect(decodeLongPollBatch(encodeLongPollBatch(batch))).toEqual({ ok: true, value: batch });
  });

  it('round-trips arbitrary batches (property)', () => {
    const batch = arbitraryBatch();
    fc.assert(
      fc.property(batch, (value) => {
        expect(decodeLongPollBatch(encodeLongPollBatch(value))).toEqual({ ok: true, value });
      }),
    );
  });

  it('builds the same bytes from frames encoded once (property), and they round-trip', () => {
    const batch = arbitraryBatch();
    fc.assert(
      fc.property(batch, (value) => {
        const { frames, ...rest } = value;
        const body = encodeLongPollBatchWithFrames(rest, encodeLongPollFrames(frames));
        expect(body).toBe(
          encodeLongPollBatch({
            session: rest.session,
            cursor: rest.cursor,
            frames,
            ...(rest.close ? { close: rest.close } : {}),
          }),
        );
        expect(decodeLongPollBatch(body)).toEqual({ ok: true, value });
      }),
    );
  });

  it('builds the same bytes from a session head built once (property)', () => {
    const batch = arbitraryBatch(fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(batch, (value) => {
        const body = encodeLongPollBatchAfterHead(
          encodeLongPollBatchHead(value.session),
          value.cursor,
          encodeLongPollFrames(value.frames),
          value.close,
        );
        expect(body).toBe(encodeLongPollBatch(value));
        expect(decodeLongPollBatch(body)).toEqual({ ok: true, value });
      }),
    );
  });

  it('defaults a missing close reason to empty', () => {
    expect(decodeLongPollBatch('{"session":"s","cursor":0,"frames":[],"close":{"code":4200}}')).toEqual({
      ok: true,
      value: { session: 's', cursor: 0, frames: [], close: { code: 4200, reason: '' } },
    });
  });

  it.each([
    ['not text', { session: 's', cursor: 0, frames: [] }],
    ['bad JSON', '{"session":'],
    ['an array', '[]'],
    ['null', 'null'],
    ['no session', '{"cursor":0,"frames":[]}'],
    ['a string cursor', '{"session":"s","cursor":"1","frames":[]}'],
    ['a negative cursor', '{"session":"s","cursor":-1,"frames":[]}'],
    ['a fractional cursor', '{"session":"s","cursor":1.5,"frames":[]}'],
    ['no frames', '{"session":"s","cursor":0}'],
    ['object frames', '{"session":"s","cursor":0,"frames":[{"event":"x"}]}'],
    ['a close without code', '{"session":"s","cursor":0,"frames":[],"close":{}}'],
    ['a null close', '{"session":"s","cursor":0,"frames":[],"close":null}'],
  ])('refuses %s with invalid_body', (_name, raw) => {
    expect(decodeLongPollBatch(raw)).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string({ unit: 'binary' })), (raw) => {
        expect(typeof decodeLongPollBatch(raw).ok).toBe('boolean');
      }),
    );
  });
});

describe('parseCursor', () => {
  it.each([
    ['0', 0],
    ['12', 12],
    ['007', 7],
    ['999999999999999', 999_999_999_999_999],
  ])('%s → %i', (value, cursor) => {
    expect(parseCursor(value)).toBe(cursor);
  });

  it.each([null, undefined, '', '-1', '1.5', '1e3', ' 1', 'abc', '0x1', '1234567890123456'])(
    '%j → null',
    (value) => {
      expect(parseCursor(value)).toBeNull();
    },
  );

  it('round-trips every safe cursor (property)', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(parseCursor(String(n))).toBe(n);
      }),
    );
  });
});
