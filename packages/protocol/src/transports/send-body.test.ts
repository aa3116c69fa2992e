import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSendBody, encodeSendBody, sendBodyLimitsDefaults } from './send-body.js';

describe('send body', () => {
  it('round-trips frames in order, including the empty ping body', () => {
    const frames = [
      '{"event":"pusher:subscribe","data":{"auth":"","channel":"x"}}',
      '{"event":"pusher:ping","data":{}}',
    ];
    expect(decodeSendBody(encodeSendBody(frames))).toEqual({ ok: true, value: frames });
    expect(decodeSendBody('[]')).toEqual({ ok: true, value: [] });
  });

  it('round-trips arbitrary string arrays (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 20 }), (frames) => {
        expect(decodeSendBody(encodeSendBody(frames))).toEqual({ ok: true, value: frames });
      }),
    );
  });

  it('enforces the frame count', () => {
    expect(sendBodyLimitsDefaults.maxFrames).toBe(100);
    expect(decodeSendBody(encodeSendBody(Array.from({ length: 100 }, () => '{}'))).ok).toBe(true);
    expect(decodeSendBody(encodeSendBody(Array.from({ length: 101 }, () => '{}')))).toMatchObject({
      ok: false,
      error: { code: 'invalid_body' },
    });
    expect(decodeSendBody('["a","b"]', { maxFrames: 1 }).ok).toBe(false);
  });

  it('enforces the body size in bytes', () => {
    expect(sendBodyLimitsDefaults.maxBodyBytes).toBe(256 * 1024);
    const body = (chars: number, filler: string): string => encodeSendBody([filler.repeat(chars)]);
    // ["…"] adds 4 bytes; '€' is 3 bytes.
    expect(decodeSendBody(body(32, '€'), { maxBodyBytes: 100 }).ok).toBe(true);
    expect(decodeSendBody(`${body(32, '€')} `, { maxBodyBytes: 100 }).ok).toBe(false);
    expect(decodeSendBody(body(33, '€'), { maxBodyBytes: 100 })).toMatchObject({
      ok: false,
      error: { code: 'frame_too_large', closeCode: 1009 },
    });
    const big = body(sendBodyLimitsDefaults.maxBodyBytes, 'a');
    expect(decodeSendBody(big)).toMatchObject({ ok: false, error: { code: 'frame_too_large' } });
  });

  it.each([
    ['not text', ['x']],
    ['bad JSON', '["a"'],
    ['an object', '{"frames":[]}'],
    ['a string', '"x"'],
    ['non-string elements', '[{"event":"pusher:ping"}]'],
    ['mixed elements', '["{}",1]'],
    ['null', 'null'],
  ])('refuses %s with invalid_body', (_name, raw) => {
    expect(decodeSendBody(raw)).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string({ unit: 'binary' })), (raw) => {
        expect(typeof decodeSendBody(raw).ok).toBe('boolean');
      }),
    );
  });
});
