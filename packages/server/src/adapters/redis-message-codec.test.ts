import { describe, expect, it } from 'vitest';
import type { AdapterMessage } from './adapter.js';
import { decodeRedisEnvelopes, encodeRedisEnvelope } from './redis-message-codec.js';

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
    // A frame holding the separator and a header look-alike is still carried whole.
    { kind: 'channel', appId: 'a', channel: 'c', frame: 'line 1\n{"o":"x","k":"user","a":"a","t":"u"}\n' },
    { kind: 'channel', appId: 'a', channel: 'é', frame: '{"data":"ü 😀"}' },
  ];

  it.each(messages)('round-trips %o with the frame carried verbatim after the header', (message) => {
    const raw = encodeRedisEnvelope('node-9', message);
    if (message.kind !== 'terminate-user') expect(raw.endsWith(`\n${message.frame}`)).toBe(true);
    expect(decodeRedisEnvelopes(raw)).toEqual([{ origin: 'node-9', message }]);
  });

  it('decodes records joined into one message, in order', () => {
    const raw = messages.map((message) => encodeRedisEnvelope('node-9', message)).join('');
    expect(decodeRedisEnvelopes(raw)).toEqual(messages.map((message) => ({ origin: 'node-9', message })));
  });

  it('survives the trip through UTF-8 that Redis makes', () => {
    const raw = messages.map((message) => encodeRedisEnvelope('n', message)).join('');
    const back = Buffer.from(raw, 'utf8').toString('utf8');
    expect(decodeRedisEnvelopes(back)?.map((envelope) => envelope.message)).toEqual(messages);
  });

  it('reads a header without a length as the last record, its frame running to the end', () => {
    expect(decodeRedisEnvelopes('{"o":"n","k":"channel","a":"a","t":"c"}\n{"x":1}\n')).toEqual([
      { origin: 'n', message: { kind: 'channel', appId: 'a', channel: 'c', frame: '{"x":1}\n' } },
    ]);
  });

  const good = encodeRedisEnvelope('n', { kind: 'user', appId: 'a', userId: 'u', frame: '{}' });
  it.each([
    '',
    'no header',
    '{"o":"n","k":"channel","a":"a"}\n{}',
    '{"o":1,"k":"channel","a":"a","t":"c"}\n{}',
    '{"o":"n","k":"other","a":"a","t":"c"}\n',
    'null\n',
    '[\n',
    '{"o":"n","k":"user","a":"a","t":"u","x":5}\n',
    '{"o":"n","k":"user","a":"a","t":"u","l":9}\n{}',
    '{"o":"n","k":"user","a":"a","t":"u","l":-1}\n{}',
    '{"o":"n","k":"user","a":"a","t":"u","l":1.5}\n{}',
    '{"o":"n","k":"user","a":"a","t":"u","l":"2"}\n{}',
    // One bad record spoils the whole message: nothing of it is delivered.
    `${good}garbage`,
    `${good}{"o":"n","k":"other","a":"a","t":"c","l":0}\n`,
  ])('returns undefined for malformed input %j instead of throwing', (raw) => {
    expect(decodeRedisEnvelopes(raw)).toBeUndefined();
  });
});
