import { describe, expect, it } from 'vitest';
import { encodeCommand, RespError, RespReader } from './resp-reader.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('RespReader', () => {
  it('reads every RESP 2 reply type', () => {
    const reader = new RespReader();
    const replies = reader.push(bytes('+PONG\r\n-ERR wrong\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n'));
    expect(replies.slice(0, 3)).toEqual(['PONG', expect.any(RespError), 42]);
    expect((replies[1] as RespError).message).toBe('ERR wrong');
    expect(replies.slice(3)).toEqual(['hello', null, null]);
  });

  it('reads a SCAN reply: a cursor and a nested array of keys', () => {
    const reader = new RespReader();
    expect(reader.push(bytes('*2\r\n$2\r\n17\r\n*2\r\n$3\r\na:1\r\n$3\r\na:2\r\n'))).toEqual([
      ['17', ['a:1', 'a:2']],
    ]);
  });

  it('waits for the rest of a reply split across chunks, byte by byte', () => {
    const reader = new RespReader();
    const wire = bytes('*2\r\n$4\r\nkéy\r\n:7\r\n+OK\r\n');
    const replies = [...wire].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(replies).toEqual([['kéy', 7], 'OK']);
  });

  it('keeps a bulk string whose payload holds CRLF whole', () => {
    expect(new RespReader().push(bytes('$4\r\na\r\nb\r\n'))).toEqual(['a\r\nb']);
  });

  it('throws on bytes that are not RESP 2 and on absurd lengths', () => {
    expect(() => new RespReader().push(bytes('HTTP/1.1 400\r\n'))).toThrow(/unexpected type/);
    expect(() => new RespReader().push(bytes('$x\r\n'))).toThrow(/bad integer/);
    expect(() => new RespReader().push(bytes('*999999999999\r\n'))).toThrow(/out of range/);
  });
});

describe('encodeCommand', () => {
  it('sends a command as an array of bulk strings with byte lengths', () => {
    expect(encodeCommand(['SCAN', '0', 'MATCH', 'é:*']).toString('utf8')).toBe(
      '*4\r\n$4\r\nSCAN\r\n$1\r\n0\r\n$5\r\nMATCH\r\n$4\r\né:*\r\n',
    );
  });
});
