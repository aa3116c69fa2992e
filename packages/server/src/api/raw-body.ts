import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { apiFail, apiOk, ApiStatus, type ApiResult } from './api-errors.js';

/** What `readRawBody` needs from a request: its headers and its body stream. */
export type RawBodySource = Readable & { headers: IncomingHttpHeaders };

/**
 * Reads the request body as raw bytes, at most `maxBytes` of it: the HTTP API verifies `body_md5`
 * against exactly the bytes that were signed, so no body parser may re-serialize it first.
 * Never rejects: an oversized body is 413, an aborted one 400, a body already consumed upstream 500.
 */
export function readRawBody(req: RawBodySource, maxBytes: number): Promise<ApiResult<Buffer>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.resolve(
      apiFail(ApiStatus.PayloadTooLarge, `request body is larger than ${maxBytes} bytes`),
    );
  }
  if (req.readableEnded) {
    return Promise.resolve(
      apiFail(
        ApiStatus.Internal,
        'request body was already consumed: mount the API router before any body parser',
      ),
    );
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: ApiResult<Buffer>): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      received += bytes.length;
      if (received > maxBytes) {
        // Keep draining without storing, so the response can still be written; the caller closes the connection.
        req.resume();
        finish(apiFail(ApiStatus.PayloadTooLarge, `request body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(bytes);
    };
    // One chunk (a small body) is used as it is: the request owns it and nothing else holds it.
    const onEnd = (): void =>
      finish(apiOk(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)));
    const onError = (): void => finish(apiFail(ApiStatus.BadRequest, 'request body could not be read'));
    const onClose = (): void => {
      if (!req.readableEnded)
        finish(apiFail(ApiStatus.BadRequest, 'request was aborted before its body arrived'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
