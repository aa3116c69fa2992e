import { rememberLast } from './remember-last.js';

/**
 * RFC 6455 text frames as a server sends them (FIN set, opcode 1, no mask, no extension bits), built in
 * one buffer: the 2, 4 or 10 header bytes and the UTF-8 payload.
 */
const FIN_TEXT = 0x81;
const MAX_7_BIT_LENGTH = 125;
const LENGTH_16_BIT = 126;
const LENGTH_64_BIT = 127;
const MAX_16_BIT_LENGTH = 0xffff;
const TWO_TO_THE_32 = 2 ** 32;

const HeaderBytes = { Short: 2, Medium: 4, Long: 10 } as const;

export function encodeWsTextFrame(payload: string): Buffer {
  const length = Buffer.byteLength(payload, 'utf8');
  const header =
    length <= MAX_7_BIT_LENGTH
      ? HeaderBytes.Short
      : length <= MAX_16_BIT_LENGTH
        ? HeaderBytes.Medium
        : HeaderBytes.Long;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_TEXT;
  switch (header) {
    case HeaderBytes.Short:
      frame[1] = length;
      break;
    case HeaderBytes.Medium:
      frame[1] = LENGTH_16_BIT;
      frame.writeUInt16BE(length, 2);
      break;
    case HeaderBytes.Long:
      frame[1] = LENGTH_64_BIT;
      frame.writeUInt32BE(Math.floor(length / TWO_TO_THE_32), 2);
      frame.writeUInt32BE(length % TWO_TO_THE_32, 6);
      break;
  }
  frame.write(payload, header, 'utf8');
  return frame;
}

/**
 * `encodeWsTextFrame` remembering the last payload it framed: a fan-out hands the same string to every
 * recipient, so the frame is built once and the same bytes are written to every socket.
 */
export const createSharedWsTextFramer = (): ((payload: string) => Buffer) =>
  rememberLast(encodeWsTextFrame, (a, b) => a === b);
