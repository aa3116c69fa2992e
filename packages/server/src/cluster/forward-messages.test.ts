import { describe, expect, it } from 'vitest';
import { decodeForwardMessage, encodeForwardMessage, type ForwardMessage } from './forward-messages.js';

describe('forwarding messages', () => {
  const messages: ForwardMessage[] = [
    { t: 'req', id: 'r', from: '1', method: 'POST', url: '/x?y=1', path: '/x', body: '["a"]', addr: '::1' },
    { t: 'req', id: 'r', from: '1', method: 'GET', url: '/x', path: '/x' },
    { t: 'ack', id: 'r' },
    { t: 'head', id: 'r', status: 200, headers: { 'Content-Type': 'text/plain' } },
    { t: 'data', id: 'r', chunk: 'a\nb' },
    { t: 'end', id: 'r', chunk: 'z' },
    { t: 'end', id: 'r' },
    { t: 'destroy', id: 'r' },
    { t: 'abort', id: 'r', from: '2' },
  ];

  it.each(messages)('round-trips %o', (message) => {
    expect(decodeForwardMessage(encodeForwardMessage(message))).toEqual(message);
  });

  it.each([
    '',
    'x',
    'null',
    '{"t":"ack"}',
    '{"t":"req","id":"r"}',
    '{"t":"data","id":"r"}',
    '{"t":"head","id":"r","status":"200","headers":{}}',
    '{"t":"nope","id":"r"}',
    '{"t":"abort","id":"r"}',
  ])('returns undefined for malformed %j instead of throwing', (raw) => {
    expect(decodeForwardMessage(raw)).toBeUndefined();
  });

  it('drops header values that are not strings', () => {
    expect(decodeForwardMessage('{"t":"head","id":"r","status":200,"headers":{"a":"1","b":2}}')).toEqual({
      t: 'head',
      id: 'r',
      status: 200,
      headers: { a: '1' },
    });
  });
});
