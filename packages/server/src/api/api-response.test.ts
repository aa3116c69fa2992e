import { describe, expect, it } from 'vitest';
import { plainResponse } from '../../test/support/plain-response.js';
import { JSON_CONTENT_TYPE } from './api-json.js';
import { emptyApiBody, sendApiOk } from './api-response.js';

// Under express, sendApiOk is compared with res.json() in test/api-trigger-fast-path.test.ts.
describe('sendApiOk on a plain Node response', () => {
  it('answers {} from constants, with no ETag', () => {
    const { res, answer } = plainResponse();
    sendApiOk(res, emptyApiBody);
    expect(answer()).toEqual({
      status: 200,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': '2' },
      body: '{}',
    });
  });

  it('answers any other value as its JSON', () => {
    const { res, answer } = plainResponse();
    sendApiOk(res, { channels: { ch: { subscription_count: 2 } } });
    const body = '{"channels":{"ch":{"subscription_count":2}}}';
    expect(answer()).toEqual({
      status: 200,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': String(body.length) },
      body,
    });
  });
});
