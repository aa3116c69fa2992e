/**
 * Replies of the Redis wire protocol (RESP 2), read incrementally from a byte stream. The bench only
 * talks to Redis to check that it is there and to delete the keys a cluster run wrote, so this reads
 * the five RESP 2 reply types and nothing else.
 */

/** A `-ERR …` reply. */
export class RespError extends Error {
  override readonly name = 'RespError';
}

export type RespValue = string | number | null | RespError | RespValue[];

const CRLF = '\r\n';

/** Largest bulk string or array accepted; anything larger is a protocol error, not a reply we asked for. */
const MAX_LENGTH = 64 * 1024 * 1024;

type Parsed = { value: RespValue; end: number } | undefined;

/** Feeds bytes in, takes whole replies out, in order. */
export class RespReader {
  private buffer: Buffer = Buffer.alloc(0);

  /** Appends `chunk` and returns every reply it completes. Throws on bytes that are not RESP 2. */
  push(chunk: Buffer): RespValue[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const replies: RespValue[] = [];
    let offset = 0;
    for (;;) {
      const parsed = this.parse(offset);
      if (parsed === undefined) break;
      replies.push(parsed.value);
      offset = parsed.end;
    }
    this.buffer = this.buffer.subarray(offset);
    return replies;
  }

  private line(offset: number): { text: string; end: number } | undefined {
    const at = this.buffer.indexOf(CRLF, offset, 'latin1');
    if (at < 0) return undefined;
    return { text: this.buffer.toString('utf8', offset, at), end: at + CRLF.length };
  }

  private parse(offset: number): Parsed {
    if (offset >= this.buffer.length) return undefined;
    const type = String.fromCharCode(this.buffer[offset] ?? 0);
    const head = this.line(offset + 1);
    if (head === undefined) return undefined;
    switch (type) {
      case '+':
        return { value: head.text, end: head.end };
      case '-':
        return { value: new RespError(head.text), end: head.end };
      case ':':
        return { value: integer(head.text), end: head.end };
      case '$': {
        const length = integer(head.text);
        if (length < 0) return { value: null, end: head.end };
        checkLength(length);
        const end = head.end + length + CRLF.length;
        if (this.buffer.length < end) return undefined;
        return { value: this.buffer.toString('utf8', head.end, head.end + length), end };
      }
      case '*': {
        const count = integer(head.text);
        if (count < 0) return { value: null, end: head.end };
        checkLength(count);
        const items: RespValue[] = [];
        let end = head.end;
        for (let i = 0; i < count; i += 1) {
          const item = this.parse(end);
          if (item === undefined) return undefined;
          items.push(item.value);
          end = item.end;
        }
        return { value: items, end };
      }
      default:
        throw new Error(`Redis reply: unexpected type byte ${JSON.stringify(type)}`);
    }
  }
}

function integer(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`Redis reply: bad integer ${JSON.stringify(text)}`);
  return value;
}

function checkLength(length: number): void {
  if (length > MAX_LENGTH) throw new Error(`Redis reply: length ${length} is out of range`);
}

/** One command as RESP 2 sends it: an array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}${CRLF}`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}${CRLF}${arg}${CRLF}`);
  return Buffer.from(parts.join(''), 'utf8');
}
