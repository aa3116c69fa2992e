import { request, type Agent, type IncomingMessage } from 'node:http';
import { readBody } from './read-body.js';

export interface HttpCall {
  agent: Agent;
  host: string;
  port: number;
  method: 'GET' | 'POST';
  /** Path and query. */
  path: string;
  body?: string;
  contentType?: string;
  timeoutMs: number;
}

export interface HttpReply {
  status: number;
  body: string;
}

const MAX_REPLY_BYTES = 16 * 1024 * 1024;

/** Starts a request and resolves with the response head; the caller reads (or streams) the body. */
export function openHttp(call: HttpCall, onRequest?: (abort: () => void) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (call.body !== undefined) {
      headers['Content-Type'] = call.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(call.body);
    }
    const req = request(
      { agent: call.agent, host: call.host, port: call.port, method: call.method, path: call.path, headers },
      resolve,
    );
    req.setTimeout(call.timeoutMs, () =>
      req.destroy(
        new Error(`${call.method} ${call.path.split('?')[0] ?? ''} timed out after ${call.timeoutMs} ms`),
      ),
    );
    req.once('error', reject);
    onRequest?.(() => req.destroy());
    req.end(call.body);
  });
}

/** A whole request: status and body text. Rejects on network errors and timeouts only. */
export async function callHttp(call: HttpCall, onRequest?: (abort: () => void) => void): Promise<HttpReply> {
  const response = await openHttp(call, onRequest);
  const body = await readBody(response, MAX_REPLY_BYTES);
  return { status: response.statusCode ?? 0, body };
}
