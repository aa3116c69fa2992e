/**
 * Reads just enough of the first bytes of a TCP connection to tell an HTTP request that asks for a
 * WebSocket upgrade from any other request: the request line and headers, up to the blank line.
 * The bytes arrive in arbitrary chunks; nothing is consumed, so the caller forwards `bytes` as is.
 */

export const requestHeadDefaults = {
  /** Past this many bytes without the end of the headers, stop looking and treat it as plain traffic. */
  maxBytes: 64 * 1024,
} as const;

export interface RequestHead {
  /** The request carries `Upgrade: websocket`. */
  upgrade: boolean;
  /** False when `maxBytes` passed before the headers ended. */
  complete: boolean;
  /** Every byte read so far, to be forwarded unchanged. */
  bytes: Buffer;
}

const HEADERS_END = '\r\n\r\n';
const LINE_END = '\r\n';

/** True when a request head (request line + header lines) has an `Upgrade` header naming `websocket`. */
export function isWebSocketUpgrade(head: string): boolean {
  for (const line of head.split(LINE_END).slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.slice(0, colon).trim().toLowerCase() !== 'upgrade') continue;
    if (
      line
        .slice(colon + 1)
        .split(',')
        .some((token) => token.trim().toLowerCase() === 'websocket')
    ) {
      return true;
    }
  }
  return false;
}

export class RequestHeadReader {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes: number = requestHeadDefaults.maxBytes) {}

  /** Adds a chunk; returns the verdict once the head is complete (or too long), null while more is needed. */
  push(chunk: Buffer): RequestHead | null {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEADERS_END, 0, 'latin1');
    if (end >= 0) {
      return {
        upgrade: isWebSocketUpgrade(this.buffered.subarray(0, end).toString('latin1')),
        complete: true,
        bytes: this.buffered,
      };
    }
    if (this.buffered.length > this.maxBytes)
      return { upgrade: false, complete: false, bytes: this.buffered };
    return null;
  }
}
