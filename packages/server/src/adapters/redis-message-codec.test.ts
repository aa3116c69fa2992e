import { describe, expect, it } from 'vitest';
import type { AdapterMessage } from './adapter.js';
import { decodeRedisEnvelope, encodeRedisEnvelope } from './redis-message-codec.js';

describe('Redis pub/sub envelope', () => {
  const messages: AdapterMessage[] = [
    {
      kind: 'channel',
      appId: 'a',
      channel: 'news',
      frame: '{"event":"e","data":"x\\ny"}',
      exceptSocketId: '1.2',
      id: 'ev-1',
      offset: 7,
    },
    { kind: 'user', appId: 'a', userId: 'u:1', frame: '{}' },
    { kind: 'terminate-user', appId: 'a', userId: 'u' },
  ];

  it.each(messages)('round-trips %o with the frame carried verbatim after the header', (message) => {
    const raw = encodeRedisEnvelope('node-9', message);
    if (message.kind !== 'terminate-user') expect(raw.endsWith(`\n${message.frame}`)).toBe(true);
    expect(decodeRedisEnvelope(raw)).toEqual({ origin: 'node-9', message });
  });

  it.each([
    '',
    'no header',
    '{"o":"n","k":"channel","a":"a"}\n{}',
    '{"o":1,"k":"channel","a":"a","t":"c"}\n{}',
    '{"o":"n","k":"other","a":"a","t":"c"}\n',
    'null\n',
    '[\n',
    '{"o":"n","k":"user","a":"a","t":"u","x":5}\n',
  ])('returns undefined for malformed input %j instead of throwing', (raw) => {
    expect(decodeRedisEnvelope(raw)).toBeUndefined();
  });
});
