import { encodeFrame } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import { allTargets } from '../targets/all-targets.js';
import { createPayloadFactory, isAppEventFrame, payloadDefaults, readSentAt } from './bench-payload.js';

describe('bench payload', () => {
  it.each(allTargets.map((spec) => [spec.id, spec.load] as const))(
    '%s: frames are padded to the same size as every other target',
    (_id, load) => {
      const shape = { channel: load.channel, event: load.event };
      const payload = createPayloadFactory(shape);
      const frame = encodeFrame({ ...shape, data: payload(123_456, 1_234_567.891) });
      expect(frame.length).toBe(payloadDefaults.frameBytes);
    },
  );

  it('reads the send time back from the payload and from the frame that carries it', () => {
    const payload = createPayloadFactory({ channel: 'c', event: 'e' })(7, 42.125);
    expect(readSentAt(payload)).toBe(42.125);
    expect(readSentAt(encodeFrame({ event: 'e', channel: 'c', data: payload }))).toBe(42.125);
    expect(readSentAt('{"s":1}')).toBeNaN();
  });

  it('tells app events from protocol events', () => {
    expect(isAppEventFrame('{"event":"client-bench","channel":"c","data":"x"}')).toBe(true);
    expect(isAppEventFrame('{"event":"pusher:ping","data":{}}')).toBe(false);
    expect(isAppEventFrame('{"event":"pusher_internal:subscription_succeeded","channel":"c"}')).toBe(false);
  });
});
