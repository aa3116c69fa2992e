import { createHmac } from 'node:crypto';
import Pusher from 'pusher';
import { describe, expect, it } from 'vitest';
import { clientEventData, WEBHOOK_CONTENT_TYPE, webhookBody, webhookHeaders } from './webhook-payload.js';

describe('webhook payload', () => {
  it('is {time_ms, events} signed with HMAC-SHA256 of the raw body', () => {
    const body = webhookBody(1_700_000_000_000, [{ name: 'channel_occupied', channel: 'ch' }]);
    expect(body).toBe('{"time_ms":1700000000000,"events":[{"name":"channel_occupied","channel":"ch"}]}');
    const headers = webhookHeaders({ key: 'k', secret: 's' }, body);
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      'X-Pusher-Key': 'k',
      'X-Pusher-Signature': createHmac('sha256', 's').update(body).digest('hex'),
    });
  });

  it('passes the official SDK check only with the exact content type', () => {
    const body = webhookBody(1, [{ name: 'cache_miss', channel: 'cache-x' }]);
    const headers = webhookHeaders({ key: 'k', secret: 's' }, body);
    const pusher = new Pusher({ appId: '1', key: 'k', secret: 's', host: 'localhost' });
    const lower = {
      'content-type': WEBHOOK_CONTENT_TYPE,
      'x-pusher-key': headers['X-Pusher-Key'],
      'x-pusher-signature': headers['X-Pusher-Signature'],
    };
    expect(pusher.webhook({ headers: lower, rawBody: body }).isValid()).toBe(true);
    expect(
      pusher
        .webhook({ headers: { ...lower, 'content-type': 'application/json; charset=utf-8' }, rawBody: body })
        .isValid(),
    ).toBe(false);
    expect(pusher.webhook({ headers: lower, rawBody: body.replace('cache-x', 'cache-y') }).isValid()).toBe(
      false,
    );
  });

  it('sends client event data as a string', () => {
    expect(clientEventData('raw')).toBe('raw');
    expect(clientEventData({ a: [1] })).toBe('{"a":[1]}');
    expect(clientEventData(undefined)).toBe('null');
  });
});
