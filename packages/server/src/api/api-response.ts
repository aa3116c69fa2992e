import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import { expressResponse, sendApiJson, writeJsonHead } from './api-json.js';

/**
 * The success answer of the HTTP API. Every trigger (the hot path: one per publish) answers `{}`, so that
 * body is written from constants instead of going through `res.json()` (stringify, header parsing, an
 * ETag hash per request); anything else, and any express response whose headers or settings could change
 * what `res.json()` would have sent, still goes through it. On a plain Node response (no express) the
 * answer has no ETag (see `sendApiJson`).
 */

/** The shared `{}` result; a handler returns it (by identity) when it has nothing else to say. */
export const emptyApiBody: Readonly<Record<string, never>> = Object.freeze({});

const OK = 200;
const EMPTY_JSON = '{}';
const EMPTY_JSON_BYTES = Buffer.from(EMPTY_JSON, 'utf8');
const EMPTY_CONTENT_LENGTH = String(EMPTY_JSON_BYTES.length);

type EtagFn = (body: Buffer, encoding: undefined) => string | undefined;

/** The ETag of `{}` under the app's `etag fn`, computed once per function (an ETag depends on the body only). */
let cachedEtagFn: EtagFn | undefined;
let cachedEtag: string | undefined;
function emptyBodyEtag(etagFn: EtagFn): string | undefined {
  if (etagFn !== cachedEtagFn) {
    cachedEtag = etagFn(EMPTY_JSON_BYTES, undefined);
    cachedEtagFn = etagFn;
  }
  return cachedEtag;
}

/**
 * True when `res.json({})` would send exactly `{}` with the headers we would set: not a GET or HEAD
 * (freshness and 304s), no `json replacer` setting (it may rewrite the root), and no Content-Type, ETag or
 * Transfer-Encoding already set by an earlier middleware.
 */
function jsonWouldBeConstant(res: Response): boolean {
  const method = res.req.method;
  return (
    method !== 'GET' &&
    method !== 'HEAD' &&
    res.app.get('json replacer') === undefined &&
    !res.hasHeader('content-type') &&
    !res.hasHeader('etag') &&
    !res.hasHeader('transfer-encoding')
  );
}

/**
 * Answers 200 with `value` as JSON: under express, byte for byte and header for header what
 * `res.status(200).json(value)` sends; on a plain Node response, the same minus X-Powered-By and ETag.
 */
export function sendApiOk(res: ServerResponse, value: object): void {
  const express = expressResponse(res);
  if (value !== emptyApiBody || (express !== undefined && !jsonWouldBeConstant(express))) {
    sendApiJson(res, OK, value);
    return;
  }
  writeJsonHead(res, OK, EMPTY_CONTENT_LENGTH);
  const etagFn = express?.app.get('etag fn') as unknown;
  if (typeof etagFn === 'function') {
    const etag = emptyBodyEtag(etagFn as EtagFn);
    if (etag) res.setHeader('ETag', etag);
  }
  res.end(EMPTY_JSON_BYTES);
}
