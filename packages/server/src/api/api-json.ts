import type { ServerResponse } from 'node:http';
import type { Response } from 'express';

/**
 * Writing a JSON answer on either kind of response the HTTP API is given: express's, when the request came
 * through the app (`router()`), or Node's own, when the server answered it before the app
 * (`attach(server, { apiFirst: true })`). Under express the answer is `res.status().json()`, following the
 * app's settings; on a plain response it is the same status, body and headers minus what only express
 * adds (X-Powered-By, ETag).
 */

/** The Content-Type of every JSON answer: what `res.json()` sets (express adds the charset). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** `res` as an express response when the request came through an express app (which sets `res.app`). */
export function expressResponse(res: ServerResponse): Response | undefined {
  return 'app' in res ? (res as Response) : undefined;
}

/** Sets the status and the two headers of a JSON answer; the caller ends `res` with exactly `contentLength` bytes. */
export function writeJsonHead(res: ServerResponse, status: number, contentLength: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', contentLength);
}

/** Answers `status` with `value` as JSON: `res.status(status).json(value)` under express, the plain equivalent otherwise. */
export function sendApiJson(res: ServerResponse, status: number, value: object): void {
  const express = expressResponse(res);
  if (express !== undefined) {
    express.status(status).json(value);
    return;
  }
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  writeJsonHead(res, status, String(body.length));
  res.end(body);
}
