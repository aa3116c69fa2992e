import type { IncomingMessage, Server } from 'node:http';
import type { Readable } from 'node:stream';
import { readBody } from '../http/read-body.js';
import { decodeRawPublish, type RawPublish, RawHttpPath } from '../wire/raw-http.js';

export const rawPublishRouteDefaults = {
  maxBodyBytes: 64 * 1024,
} as const;

/** What `POST /publish` answers. */
export const RawPublishStatus = {
  Published: 204,
  Malformed: 400,
  NotFound: 404,
  TooLarge: 413,
} as const;

/** The parts of a request the route reads (an `IncomingMessage` in a server). */
export type RawPublishRequest = Readable & Pick<IncomingMessage, 'method' | 'url' | 'headers'>;

/** The part of a response the route writes (a `ServerResponse` in a server). */
export interface RawPublishResponse {
  writeHead(status: number): { end(): void };
}

/**
 * Answers one request of a raw baseline's HTTP publish route (wire/raw-http.ts): a well-formed
 * `POST /publish` body goes to `publish` and is answered 204 once handed over; a malformed body 400; a
 * body past `maxBodyBytes` 413 (when its length is declared up front; a chunked body past it loses its
 * connection instead, see `readBody`); anything else 404. Settles once answered; never rejects.
 */
export async function handleRawPublishRequest(
  req: RawPublishRequest,
  res: RawPublishResponse,
  publish: (publish: RawPublish) => void,
  maxBodyBytes: number = rawPublishRouteDefaults.maxBodyBytes,
): Promise<void> {
  if (req.method !== 'POST' || req.url?.split('?', 1)[0] !== RawHttpPath.Publish) {
    res.writeHead(RawPublishStatus.NotFound).end();
    return;
  }
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
    res.writeHead(RawPublishStatus.TooLarge).end();
    return;
  }
  let body: string;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch {
    res.writeHead(RawPublishStatus.TooLarge).end();
    return;
  }
  const message = decodeRawPublish(body);
  if (!message) {
    res.writeHead(RawPublishStatus.Malformed).end();
    return;
  }
  publish(message);
  res.writeHead(RawPublishStatus.Published).end();
}

/** Serves {@link handleRawPublishRequest} on every plain HTTP request of `server` (upgrades are not requests). */
export function attachRawPublishRoute(server: Server, publish: (publish: RawPublish) => void): void {
  server.on('request', (req, res) => void handleRawPublishRequest(req, res, publish));
}
