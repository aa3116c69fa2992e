import express from 'express';
import { describe, expect, it } from 'vitest';
import { plainResponse } from '../../test/support/plain-response.js';
import { expressResponse, JSON_CONTENT_TYPE, sendApiJson } from './api-json.js';

describe('expressResponse', () => {
  it('is undefined for a plain Node response', () => {
    expect(expressResponse(plainResponse().res)).toBeUndefined();
  });

  it('is the response itself once express has given it its prototype', () => {
    const { res } = plainResponse();
    Object.setPrototypeOf(res, express().response);
    expect(expressResponse(res)).toBe(res);
  });
});

describe('sendApiJson on a plain Node response', () => {
  it('answers the status, the JSON body and its type and byte length', () => {
    const { res, answer } = plainResponse();
    sendApiJson(res, 401, { error: 'naïve', code: 401 });
    expect(answer()).toEqual({
      status: 401,
      // 28 characters, 29 bytes: the length is counted in bytes.
      headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': '29' },
      body: '{"error":"naïve","code":401}',
    });
  });

  it('keeps headers set earlier', () => {
    const { res, answer } = plainResponse();
    res.setHeader('Access-Control-Allow-Origin', '*');
    sendApiJson(res, 404, { error: 'unknown app id', code: 404 });
    expect(answer().headers['access-control-allow-origin']).toBe('*');
  });
});
