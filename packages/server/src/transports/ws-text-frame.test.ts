import type { EventEmitter } from 'node:events';
import * as wsModule from 'ws';
import { describe, expect, it } from 'vitest';
import { createSharedWsTextFramer, encodeWsTextFrame } from './ws-text-frame.js';

/** ws's own framer and parser: exported by the package, absent from @types/ws. */
interface WsInternals {
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
    ): Buffer[];
  };
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): boolean };
}
const { Sender, Receiver } = wsModule as unknown as WsInternals;

/** What ws itself sends for this text from a server (no mask, no compression). */
const wsFrame = (payload: string): Buffer =>
  Buffer.concat(
    Sender.frame(Buffer.from(payload, 'utf8'), {
      fin: true,
      opcode: 1,
      mask: false,
      readOnly: false,
      rsv1: false,
    }),
  );

/** The text messages a client-side ws Receiver reads from these bytes. */
function receive(bytes: Buffer): string[] {
  const messages: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    messages.push(data.toString('utf8'));
  });
  receiver.write(bytes);
  return messages;
}

describe('encodeWsTextFrame', () => {
  const payloads = [
    '',
    'x',
    '{"event":"e","channel":"c","data":"d"}',
    'a'.repeat(125),
    'a'.repeat(126),
    'a'.repeat(0xffff),
    'a'.repeat(0x10000),
    'é😀'.repeat(40), // 240 UTF-8 bytes from 120 UTF-16 units: the length is in bytes
  ];

  it.each(payloads.map((payload) => [payload.length, payload]))(
    'frames %i characters exactly as ws does, and a ws receiver reads the text back',
    (_length, payload) => {
      const frame = encodeWsTextFrame(payload);
      expect(frame.equals(wsFrame(payload))).toBe(true);
      expect(receive(frame)).toEqual([payload]);
    },
  );

  it('frames back to back read as separate messages', () => {
    const bytes = Buffer.concat(['one', 'a'.repeat(300), 'three'].map(encodeWsTextFrame));
    expect(receive(bytes)).toEqual(['one', 'a'.repeat(300), 'three']);
  });
});

describe('createSharedWsTextFramer', () => {
  it('returns the same bytes for the same payload until another one comes', () => {
    const frame = createSharedWsTextFramer();
    const payload = '{"event":"fan-out"}';
    const first = frame(payload);
    expect(frame(payload)).toBe(first);
    const other = frame('{"event":"next"}');
    expect(other).not.toBe(first);
    expect(receive(other)).toEqual(['{"event":"next"}']);
  });
});
