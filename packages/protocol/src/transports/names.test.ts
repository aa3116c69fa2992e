import { describe, expect, it } from 'vitest';
import {
  isHttpTransport,
  isTransportName,
  PUSHER_HTTP_TRANSPORT_NAMES,
  TRANSPORT_NAMES,
  TransportNames,
} from './names.js';

describe('transport names', () => {
  it('lists websocket, sse and long-poll, and the named table agrees', () => {
    expect(TRANSPORT_NAMES).toEqual(['websocket', 'sse', 'long-poll']);
    expect(Object.values(TransportNames).sort()).toEqual([...TRANSPORT_NAMES].sort());
    expect(PUSHER_HTTP_TRANSPORT_NAMES).toEqual(['xhr_streaming', 'xhr_polling']);
  });

  it('recognises names and HTTP transports', () => {
    for (const name of TRANSPORT_NAMES) expect(isTransportName(name)).toBe(true);
    expect(isTransportName('xhr_streaming')).toBe(false);
    expect(isTransportName(1)).toBe(false);
    expect(isHttpTransport('websocket')).toBe(false);
    expect(isHttpTransport('sse')).toBe(true);
    expect(isHttpTransport('long-poll')).toBe(true);
  });
});
