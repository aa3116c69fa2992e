import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloseCode } from './close-codes.js';
import {
  decodeClientFrame,
  decodeFrame,
  decodeLimitsDefaults,
  decodeServerFrame,
  encodeClientFrame,
  encodeFrame,
} from './codec.js';
import type { ProtocolErrorCode } from './errors.js';
import { PusherEvent, type ClientFrame, type ServerFrame } from './frames.js';

/** Every shape of untrusted input the decoders must survive. */
const untrusted = fc.oneof(fc.anything(), fc.json(), fc.string({ unit: 'binary' }), fc.jsonValue());

/**
 * JSON values as they can exist on the wire: normalised through JSON (so `-0` becomes `0`, as
 * JSON.stringify does) and without the keys the decoder refuses on purpose (tested separately).
 */
const wireJson = fc
  .jsonValue()
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown)
  .filter((value) => !/"(__proto__|prototype)":/.test(JSON.stringify(value)));

const serverFrames: [string, ServerFrame][] = [
  [
    'connection_established',
    { event: PusherEvent.ConnectionEstablished, data: { socket_id: '123.456', activity_timeout: 120 } },
  ],
  ['error with a code', { event: PusherEvent.Error, data: { message: 'Over quota', code: 4004 } }],
  [
    'error with a null code',
    { event: PusherEvent.Error, data: { message: 'Invalid signature', code: null } },
  ],
  ['ping', { event: PusherEvent.Ping, data: {} }],
  ['pong', { event: PusherEvent.Pong, data: {} }],
  ['signin_success', { event: PusherEvent.SigninSuccess, data: { user_data: '{"id":"u1","name":"Ada"}' } }],
  ['subscription_succeeded', { event: PusherEvent.SubscriptionSucceeded, channel: 'private-a', data: {} }],
  [
    'presence subscription_succeeded',
    {
      event: PusherEvent.SubscriptionSucceeded,
      channel: 'presence-room',
      data: { presence: { ids: ['1', 'u2'], hash: { '1': { name: 'Ada' }, u2: null }, count: 2 } },
    },
  ],
  [
    'subscription_error',
    {
      event: PusherEvent.SubscriptionError,
      channel: 'private-a',
      data: { type: 'AuthError', error: 'Invalid signature', status: 401 },
    },
  ],
  [
    'member_added',
    {
      event: PusherEvent.MemberAdded,
      channel: 'presence-room',
      data: { user_id: 'u1', user_info: { name: 'Ada' } },
    },
  ],
  [
    'member_added without info',
    { event: PusherEvent.MemberAdded, channel: 'presence-room', data: { user_id: 'u1' } },
  ],
  ['member_removed', { event: PusherEvent.MemberRemoved, channel: 'presence-room', data: { user_id: 'u1' } }],
  [
    'subscription_count',
    { event: PusherEvent.SubscriptionCount, channel: 'room', data: { subscription_count: 42 } },
  ],
  ['cache_miss', { event: PusherEvent.CacheMiss, channel: 'cache-room' }],
  [
    'watchlist_events',
    {
      event: PusherEvent.WatchlistEvents,
      data: {
        events: [
          { name: 'online', user_ids: ['a', 'b'] },
          { name: 'offline', user_ids: [] },
        ],
      },
    },
  ],
  [
    'channel event with object data',
    { event: 'new-message', channel: 'room', data: { text: 'hi', n: [1, 2, { deep: true }] } },
  ],
  ['channel event with null data', { event: 'new-message', channel: 'room', data: null }],
  ['channel event with number data', { event: 'tick', channel: 'room', data: 7 }],
  ['channel event with non-JSON string data', { event: 'text', channel: 'room', data: 'plain words' }],
  [
    'relayed presence client event',
    { event: 'client-typing', channel: 'presence-room', data: { on: true }, user_id: 'u1' },
  ],
];

const clientFrames: [string, ClientFrame][] = [
  ['ping', { event: PusherEvent.Ping, data: {} }],
  ['pong', { event: PusherEvent.Pong, data: {} }],
  ['public subscribe', { event: PusherEvent.Subscribe, data: { channel: 'room' } }],
  ['public subscribe with empty auth', { event: PusherEvent.Subscribe, data: { channel: 'room', auth: '' } }],
  [
    'private subscribe',
    { event: PusherEvent.Subscribe, data: { channel: 'private-a', auth: `key:${'a'.repeat(64)}` } },
  ],
  [
    'presence subscribe',
    {
      event: PusherEvent.Subscribe,
      data: { channel: 'presence-a', auth: `key:${'b'.repeat(64)}`, channel_data: '{"user_id":10}' },
    },
  ],
  ['unsubscribe', { event: PusherEvent.Unsubscribe, data: { channel: 'room' } }],
  [
    'signin',
    { event: PusherEvent.Signin, data: { auth: `key:${'c'.repeat(64)}`, user_data: '{"id":"u1"}' } },
  ],
  ['client event', { event: 'client-typing', channel: 'private-a', data: { text: 'hé', list: [1, null] } }],
  ['client event with string data', { event: 'client-raw', channel: 'presence-a', data: 'raw text' }],
];

describe('server → client frames', () => {
  it.each(serverFrames)('%s round-trips through encodeFrame/decodeServerFrame', (_name, frame) => {
    const decoded = decodeServerFrame(encodeFrame(frame));
    expect(decoded).toEqual({ ok: true, frame });
  });

  it('double-encodes data: the wire data is a JSON string holding the payload', () => {
    const wire = JSON.parse(
      encodeFrame({
        event: PusherEvent.ConnectionEstablished,
        data: { socket_id: '1.2', activity_timeout: 120 },
      }),
    ) as Record<string, unknown>;
    expect(wire).toEqual({
      event: 'pusher:connection_established',
      data: '{"socket_id":"1.2","activity_timeout":120}',
    });
  });

  it('passes string data through verbatim (HTTP API data is already encoded)', () => {
    const apiData = '{"some":"data"}';
    const wire = JSON.parse(encodeFrame({ event: 'my-event', channel: 'room', data: apiData })) as Record<
      string,
      unknown
    >;
    expect(wire.data).toBe(apiData);
    expect(decodeServerFrame(JSON.stringify(wire))).toEqual({
      ok: true,
      frame: { event: 'my-event', channel: 'room', data: { some: 'data' } },
    });
  });

  it('omits data on frames without it and keeps user_id', () => {
    expect(JSON.parse(encodeFrame({ event: PusherEvent.CacheMiss, channel: 'cache-a' }))).toEqual({
      event: 'pusher:cache_miss',
      channel: 'cache-a',
    });
    expect(
      JSON.parse(encodeFrame({ event: 'client-x', channel: 'presence-a', data: 1, user_id: 'u' })),
    ).toEqual({
      event: 'client-x',
      channel: 'presence-a',
      data: '1',
      user_id: 'u',
    });
  });

  it('accepts object data from servers that do not double-encode', () => {
    const raw = '{"event":"pusher:connection_established","data":{"socket_id":"1.2","activity_timeout":30}}';
    expect(decodeServerFrame(raw)).toEqual({
      ok: true,
      frame: { event: PusherEvent.ConnectionEstablished, data: { socket_id: '1.2', activity_timeout: 30 } },
    });
  });

  it('turns numeric presence ids into strings', () => {
    const raw = encodeFrame({
      event: PusherEvent.MemberAdded,
      channel: 'presence-a',
      data: { user_id: 'x' },
    }).replace('\\"x\\"', '10');
    expect(decodeServerFrame(raw)).toEqual({
      ok: true,
      frame: {
        event: PusherEvent.MemberAdded,
        channel: 'presence-a',
        data: { user_id: '10', user_info: undefined },
      },
    });
    const snapshot =
      '{"event":"pusher_internal:subscription_succeeded","channel":"presence-a","data":"{\\"presence\\":{\\"ids\\":[1,\\"b\\"],\\"hash\\":{\\"1\\":null,\\"b\\":null},\\"count\\":2}}"}';
    expect(decodeServerFrame(snapshot)).toEqual({
      ok: true,
      frame: {
        event: PusherEvent.SubscriptionSucceeded,
        channel: 'presence-a',
        data: { presence: { ids: ['1', 'b'], hash: { '1': null, b: null }, count: 2 } },
      },
    });
  });

  it('round-trips arbitrary JSON channel data (property)', () => {
    fc.assert(
      fc.property(wireJson, (data) => {
        const decoded = decodeServerFrame(encodeFrame({ event: 'evt', channel: 'room', data }));
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        // A string is sent verbatim, and a receiver parses whatever parses (as pusher-js does).
        const expected = typeof data === 'string' ? parsedOrRaw(data) : data;
        expect(decoded.frame).toEqual({ event: 'evt', channel: 'room', data: expected });
      }),
    );
  });
});

function parsedOrRaw(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

describe('client → server frames', () => {
  it.each(clientFrames)('%s round-trips through encodeClientFrame/decodeClientFrame', (_name, frame) => {
    expect(decodeClientFrame(encodeClientFrame(frame))).toEqual({ ok: true, frame });
  });

  it('sends data as a plain object (not double-encoded)', () => {
    const wire = JSON.parse(
      encodeClientFrame({ event: PusherEvent.Subscribe, data: { channel: 'room', auth: '' } }),
    );
    expect(wire).toEqual({ event: 'pusher:subscribe', data: { channel: 'room', auth: '' } });
  });

  it('accepts protocol data as a JSON string too', () => {
    const raw = JSON.stringify({
      event: 'pusher:subscribe',
      data: JSON.stringify({ channel: 'private-a', auth: 'k:s' }),
    });
    expect(decodeClientFrame(raw)).toEqual({
      ok: true,
      frame: { event: PusherEvent.Subscribe, data: { channel: 'private-a', auth: 'k:s' } },
    });
    expect(decodeClientFrame('{"event":"pusher:ping","data":""}')).toEqual({
      ok: true,
      frame: { event: 'pusher:ping', data: {} },
    });
    expect(decodeClientFrame('{"event":"pusher:ping"}')).toEqual({
      ok: true,
      frame: { event: 'pusher:ping', data: {} },
    });
  });

  it('keeps client event data exactly as sent', () => {
    const raw = '{"event":"client-a","channel":"private-a","data":"{\\"x\\":1}"}';
    expect(decodeClientFrame(raw)).toEqual({
      ok: true,
      frame: { event: 'client-a', channel: 'private-a', data: '{"x":1}' },
    });
  });

  it('round-trips arbitrary JSON client event data (property)', () => {
    fc.assert(
      fc.property(wireJson, (data) => {
        const frame: ClientFrame = { event: 'client-e', channel: 'private-x', data };
        expect(decodeClientFrame(encodeClientFrame(frame))).toEqual({ ok: true, frame });
      }),
    );
  });

  it('decodes frames that were already parsed (HTTP batches)', () => {
    expect(decodeClientFrame({ event: 'pusher:unsubscribe', data: { channel: 'room' } })).toEqual({
      ok: true,
      frame: { event: 'pusher:unsubscribe', data: { channel: 'room' } },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed input

interface Malformed {
  name: string;
  raw: unknown;
  code: ProtocolErrorCode;
  closeCode: number | null;
}

const frameOfBytes = (bytes: number, filler: string): string => {
  const head = '{"event":"client-a","channel":"private-a","data":"';
  const tail = '"}';
  const fillerBytes = new TextEncoder().encode(filler).length;
  const room = bytes - head.length - tail.length;
  const text = filler.repeat(Math.floor(room / fillerBytes)) + 'x'.repeat(room % fillerBytes);
  return head + text + tail;
};

const clientMalformed: Malformed[] = [
  { name: 'bad JSON', raw: '{"event":', code: 'invalid_json', closeCode: null },
  { name: 'empty string', raw: '', code: 'invalid_json', closeCode: null },
  { name: 'JSON array', raw: '[1,2]', code: 'not_an_object', closeCode: null },
  { name: 'JSON number', raw: '42', code: 'not_an_object', closeCode: null },
  { name: 'JSON null', raw: 'null', code: 'not_an_object', closeCode: null },
  { name: 'JSON string', raw: '"pusher:ping"', code: 'not_an_object', closeCode: null },
  { name: 'a number (not text)', raw: 42, code: 'not_an_object', closeCode: null },
  { name: 'null', raw: null, code: 'not_an_object', closeCode: null },
  { name: 'undefined', raw: undefined, code: 'not_an_object', closeCode: null },
  { name: 'missing event', raw: '{"data":{}}', code: 'missing_event', closeCode: null },
  { name: 'empty event', raw: '{"event":""}', code: 'missing_event', closeCode: null },
  { name: 'numeric event', raw: '{"event":5}', code: 'missing_event', closeCode: null },
  { name: 'object event', raw: '{"event":{"x":1}}', code: 'missing_event', closeCode: null },
  {
    name: 'numeric channel',
    raw: '{"event":"client-a","channel":5}',
    code: 'invalid_field',
    closeCode: null,
  },
  {
    name: 'array channel',
    raw: '{"event":"client-a","channel":["private-a"]}',
    code: 'invalid_field',
    closeCode: null,
  },
  {
    name: 'numeric user_id',
    raw: '{"event":"pusher:ping","user_id":5}',
    code: 'invalid_field',
    closeCode: null,
  },
  {
    name: 'frame over the default size limit',
    raw: frameOfBytes(decodeLimitsDefaults.maxFrameBytes + 1, 'a'),
    code: 'frame_too_large',
    closeCode: CloseCode.MessageTooBig,
  },
  {
    name: 'multi-byte frame one byte over the limit',
    raw: frameOfBytes(decodeLimitsDefaults.maxFrameBytes + 1, '€'),
    code: 'frame_too_large',
    closeCode: CloseCode.MessageTooBig,
  },
  {
    name: 'event name of 201 characters',
    raw: JSON.stringify({ event: `client-${'e'.repeat(194)}`, channel: 'private-a' }),
    code: 'invalid_field',
    closeCode: null,
  },
  {
    name: 'huge event name',
    raw: JSON.stringify({ event: 'x'.repeat(50_000), channel: 'private-a' }),
    code: 'invalid_field',
    closeCode: null,
  },
  {
    name: 'client event without channel',
    raw: '{"event":"client-a","data":{}}',
    code: 'invalid_field',
    closeCode: null,
  },
  {
    name: 'channel with a space',
    raw: '{"event":"client-a","channel":"private a"}',
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: 'channel with a slash',
    raw: '{"event":"client-a","channel":"private-a/b"}',
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: 'channel with non-ASCII',
    raw: '{"event":"client-a","channel":"private-é"}',
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: 'empty channel',
    raw: '{"event":"client-a","channel":""}',
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: 'channel of 201 characters',
    raw: JSON.stringify({ event: 'client-a', channel: `private-${'c'.repeat(193)}` }),
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: '# at the start',
    raw: '{"event":"client-a","channel":"#room"}',
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: '# inside a name',
    raw: '{"event":"client-a","channel":"private-#server-to-user-1"}',
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: 'empty server-to-user id',
    raw: '{"event":"client-a","channel":"#server-to-user-"}',
    code: 'invalid_channel',
    closeCode: null,
  },
  {
    name: '__proto__ at the top',
    raw: '{"event":"pusher:ping","__proto__":{"polluted":1}}',
    code: 'forbidden_key',
    closeCode: null,
  },
  {
    name: '__proto__ in data',
    raw: '{"event":"pusher:subscribe","data":{"channel":"a","__proto__":{"polluted":1}}}',
    code: 'forbidden_key',
    closeCode: null,
  },
  {
    name: '__proto__ deep in client event data',
    raw: '{"event":"client-a","channel":"private-a","data":{"a":[{"b":{"__proto__":{"polluted":1}}}]}}',
    code: 'forbidden_key',
    closeCode: null,
  },
  {
    name: 'prototype key',
    raw: '{"event":"client-a","channel":"private-a","data":{"constructor":{"prototype":{"polluted":1}}}}',
    code: 'forbidden_key',
    closeCode: null,
  },
  {
    name: '__proto__ in an already-parsed object',
    raw: JSON.parse(
      '{"event":"client-a","channel":"private-a","data":{"__proto__":{"polluted":1}}}',
    ) as unknown,
    code: 'forbidden_key',
    closeCode: null,
  },
  {
    name: 'ArrayBuffer',
    raw: new ArrayBuffer(8),
    code: 'binary_frame',
    closeCode: CloseCode.UnsupportedData,
  },
  {
    name: 'Uint8Array',
    raw: new TextEncoder().encode('{"event":"pusher:ping"}'),
    code: 'binary_frame',
    closeCode: CloseCode.UnsupportedData,
  },
  {
    name: 'DataView',
    raw: new DataView(new ArrayBuffer(2)),
    code: 'binary_frame',
    closeCode: CloseCode.UnsupportedData,
  },
  {
    name: 'unknown pusher: event',
    raw: '{"event":"pusher:foo","data":{}}',
    code: 'unknown_event',
    closeCode: null,
  },
  {
    name: 'unknown pusher_internal: event',
    raw: '{"event":"pusher_internal:foo"}',
    code: 'unknown_event',
    closeCode: null,
  },
  {
    name: 'app event from a client',
    raw: '{"event":"my-event","channel":"room","data":{}}',
    code: 'unknown_event',
    closeCode: null,
  },
  {
    name: 'bare client- prefix',
    raw: '{"event":"client-","channel":"private-a"}',
    code: 'unknown_event',
    closeCode: null,
  },
  {
    name: 'subscribe without channel',
    raw: '{"event":"pusher:subscribe","data":{}}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscribe with empty channel',
    raw: '{"event":"pusher:subscribe","data":{"channel":""}}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscribe with numeric auth',
    raw: '{"event":"pusher:subscribe","data":{"channel":"a","auth":1}}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscribe with object channel_data',
    raw: '{"event":"pusher:subscribe","data":{"channel":"presence-a","channel_data":{"user_id":1}}}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscribe with array data',
    raw: '{"event":"pusher:subscribe","data":["a"]}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscribe with non-JSON string data',
    raw: '{"event":"pusher:subscribe","data":"room"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscribe with numeric data',
    raw: '{"event":"pusher:subscribe","data":3}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'unsubscribe without channel',
    raw: '{"event":"pusher:unsubscribe","data":{}}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'signin without user_data',
    raw: '{"event":"pusher:signin","data":{"auth":"k:s"}}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'signin with object user_data',
    raw: '{"event":"pusher:signin","data":{"auth":"k:s","user_data":{"id":"1"}}}',
    code: 'invalid_data',
    closeCode: null,
  },
  ...[
    PusherEvent.ConnectionEstablished,
    PusherEvent.Error,
    PusherEvent.SigninSuccess,
    PusherEvent.SubscriptionSucceeded,
    PusherEvent.SubscriptionError,
    PusherEvent.MemberAdded,
    PusherEvent.MemberRemoved,
    PusherEvent.SubscriptionCount,
    PusherEvent.CacheMiss,
    PusherEvent.WatchlistEvents,
  ].map((event): Malformed => ({
    name: `server-only ${event} sent by a client`,
    raw: JSON.stringify({ event, channel: 'room', data: {} }),
    code: 'unknown_event',
    closeCode: null,
  })),
];

const serverMalformed: Malformed[] = [
  { name: 'bad JSON', raw: 'not json', code: 'invalid_json', closeCode: null },
  { name: 'JSON array', raw: '[]', code: 'not_an_object', closeCode: null },
  { name: 'missing event', raw: '{"channel":"a"}', code: 'missing_event', closeCode: null },
  {
    name: 'binary',
    raw: new Uint8Array([123, 125]),
    code: 'binary_frame',
    closeCode: CloseCode.UnsupportedData,
  },
  {
    name: 'app event without channel',
    raw: '{"event":"my-event","data":"x"}',
    code: 'unknown_event',
    closeCode: null,
  },
  {
    name: 'unknown pusher: event without channel',
    raw: '{"event":"pusher:foo","data":"{}"}',
    code: 'unknown_event',
    closeCode: null,
  },
  ...[PusherEvent.Subscribe, PusherEvent.Unsubscribe, PusherEvent.Signin].map((event): Malformed => ({
    name: `client-only ${event} sent by a server`,
    raw: JSON.stringify({ event, data: '{"channel":"a"}' }),
    code: 'unknown_event',
    closeCode: null,
  })),
  {
    name: 'connection_established with activity_timeout 0',
    raw: encodeFrame({
      event: PusherEvent.ConnectionEstablished,
      data: { socket_id: '1.2', activity_timeout: 0 },
    }),
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'connection_established with a negative activity_timeout',
    raw: encodeFrame({
      event: PusherEvent.ConnectionEstablished,
      data: { socket_id: '1.2', activity_timeout: -5 },
    }),
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'connection_established with a string activity_timeout',
    raw: '{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1.2\\",\\"activity_timeout\\":\\"120\\"}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'connection_established without socket_id',
    raw: '{"event":"pusher:connection_established","data":"{\\"activity_timeout\\":120}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'connection_established with an empty socket_id',
    raw: '{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"\\",\\"activity_timeout\\":120}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'connection_established with non-JSON data',
    raw: '{"event":"pusher:connection_established","data":"hello"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'signin_success without user_data',
    raw: '{"event":"pusher:signin_success","data":"{}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscription_succeeded without channel',
    raw: '{"event":"pusher_internal:subscription_succeeded","data":"{}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscription_error without channel',
    raw: '{"event":"pusher:subscription_error","data":"{}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'member_added without user_id',
    raw: '{"event":"pusher_internal:member_added","channel":"presence-a","data":"{}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'member_removed with an object user_id',
    raw: '{"event":"pusher_internal:member_removed","channel":"presence-a","data":"{\\"user_id\\":{}}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'subscription_count without a number',
    raw: '{"event":"pusher_internal:subscription_count","channel":"a","data":"{\\"subscription_count\\":\\"3\\"}"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: 'cache_miss without channel',
    raw: '{"event":"pusher:cache_miss"}',
    code: 'invalid_data',
    closeCode: null,
  },
  {
    name: '__proto__ in protocol data',
    raw: '{"event":"pusher:error","data":{"message":"x","__proto__":{"polluted":1}}}',
    code: 'forbidden_key',
    closeCode: null,
  },
];

describe('malformed client frames', () => {
  it.each(clientMalformed)('$name → $code', ({ raw, code, closeCode }) => {
    const result = decodeClientFrame(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.closeCode).toBe(closeCode);
    expect(result.error.message.length).toBeLessThan(200);
  });
});

describe('malformed server frames', () => {
  it.each(serverMalformed)('$name → $code', ({ raw, code, closeCode }) => {
    const result = decodeServerFrame(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.closeCode).toBe(closeCode);
  });
});

describe('limits', () => {
  it('accepts a frame of exactly the limit, in bytes not characters', () => {
    const limit = decodeLimitsDefaults.maxFrameBytes;
    const atLimit = frameOfBytes(limit, '€');
    expect(new TextEncoder().encode(atLimit).length).toBe(limit);
    expect(atLimit.length).toBeLessThan(limit);
    expect(decodeClientFrame(atLimit).ok).toBe(true);
    const over = frameOfBytes(limit + 1, '€');
    expect(new TextEncoder().encode(over).length).toBe(limit + 1);
    expect(decodeClientFrame(over)).toMatchObject({ ok: false, error: { code: 'frame_too_large' } });
  });

  it('counts a surrogate pair as four bytes at the edge', () => {
    const frame = frameOfBytes(1000, '😀');
    const bytes = new TextEncoder().encode(frame).length;
    expect(decodeFrame(frame, { maxFrameBytes: bytes }).ok).toBe(true);
    expect(decodeFrame(frame, { maxFrameBytes: bytes - 1 })).toMatchObject({
      ok: false,
      error: { code: 'frame_too_large' },
    });
  });

  it('accepts an event name of exactly the limit and honours custom limits', () => {
    const name = `client-${'e'.repeat(decodeLimitsDefaults.maxEventNameLength - 'client-'.length)}`;
    expect(decodeClientFrame(JSON.stringify({ event: name, channel: 'private-a' })).ok).toBe(true);
    expect(
      decodeClientFrame(JSON.stringify({ event: 'client-abc', channel: 'private-a' }), {
        maxEventNameLength: 5,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_field' },
    });
  });

  it('accepts a channel of 200 characters', () => {
    expect(
      decodeClientFrame(JSON.stringify({ event: 'client-a', channel: `private-${'c'.repeat(192)}` })).ok,
    ).toBe(true);
  });

  it('allows constructor as a data key', () => {
    const raw = '{"event":"client-a","channel":"private-a","data":{"constructor":"admin"}}';
    expect(decodeClientFrame(raw)).toEqual({
      ok: true,
      frame: { event: 'client-a', channel: 'private-a', data: { constructor: 'admin' } },
    });
  });

  it('never echoes large input back in the error message', () => {
    const result = decodeClientFrame(JSON.stringify({ event: 'x'.repeat(10_000) }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.length).toBeLessThan(200);
  });
});

describe('decoders never throw (property)', () => {
  const textFrames = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.json(),
    fc
      .record(
        {
          event: fc.oneof(fc.constantFrom(...Object.values(PusherEvent), 'client-x', 'evt'), fc.anything()),
          channel: fc.oneof(fc.string(), fc.anything()),
          data: fc.oneof(
            fc.jsonValue(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.anything(),
          ),
          user_id: fc.oneof(fc.string(), fc.integer(), fc.anything()),
        },
        { requiredKeys: ['event'] },
      )
      .map((f) => {
        try {
          return JSON.stringify(f);
        } catch {
          return '{}';
        }
      }),
  );

  it.each([
    ['decodeFrame', decodeFrame],
    ['decodeClientFrame', decodeClientFrame],
    ['decodeServerFrame', decodeServerFrame],
  ] as const)('%s on arbitrary values and text', (_name, decode) => {
    fc.assert(
      fc.property(fc.oneof(untrusted, textFrames), (raw) => {
        const result = decode(raw);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(typeof result.error.code).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('decodes deeply nested JSON without a stack overflow', () => {
    const deep = `{"event":"client-a","channel":"private-a","data":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(() => decodeClientFrame(deep)).not.toThrow();
    expect(() => decodeServerFrame(deep)).not.toThrow();
  });
});
