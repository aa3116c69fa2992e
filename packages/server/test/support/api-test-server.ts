import { createHmac, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiStringToSign } from '@tether/protocol';
import express from 'express';
import Pusher from 'pusher';
import { createApiRouter, type ApiRouterOptions } from '../../src/api/api-router.js';
import type { AppInput } from '../../src/app-config.js';
import { FakeApiBackend } from './api-fake-backend.js';

export const testApp = { id: '42', key: 'test-key', secret: 'test-secret' } as const;

export interface ApiTestServer {
  backend: FakeApiBackend;
  port: number;
  baseUrl: string;
  /** The official SDK pointed at this server. */
  pusher: Pusher;
  close(): Promise<void>;
}

/** A real express app serving only the API router, on 127.0.0.1 port 0, over a fake backend. */
export async function startApiTestServer(
  apps: AppInput[] = [testApp],
  options: Omit<ApiRouterOptions, 'backend'> = {},
): Promise<ApiTestServer> {
  const backend = new FakeApiBackend(apps);
  const app = express();
  app.use(createApiRouter({ ...options, backend }));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const pusher = new Pusher({
    appId: testApp.id,
    key: testApp.key,
    secret: testApp.secret,
    host: '127.0.0.1',
    port: String(port),
    useTLS: false,
  });
  return {
    backend,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    pusher,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface CraftedRequest {
  method: 'GET' | 'POST';
  /** e.g. `/apps/42/events`. */
  path: string;
  body?: string;
  params?: Record<string, string>;
  key?: string;
  secret?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Overrides the MD5 put in the query (to send a body that does not match it). */
  bodyMd5?: string;
}

/** Signs a request by hand, the way the SDK does, so a test can bend one part of it. */
export function craftSignedUrl(baseUrl: string, request: CraftedRequest): string {
  const query: Record<string, string> = {
    auth_key: request.key ?? testApp.key,
    auth_timestamp: String(request.timestamp ?? Math.floor(Date.now() / 1000)),
    auth_version: '1.0',
    ...request.params,
  };
  const md5 =
    request.bodyMd5 ?? (request.body ? createHash('md5').update(request.body).digest('hex') : undefined);
  if (md5 !== undefined) query.body_md5 = md5;
  const signature = createHmac('sha256', request.secret ?? testApp.secret)
    .update(apiStringToSign({ method: request.method, path: request.path, query }))
    .digest('hex');
  const search = new URLSearchParams({ ...query, auth_signature: signature });
  return `${baseUrl}${request.path}?${search.toString()}`;
}

/** What a crafted request got back: status, text and every header but Date. */
export interface CraftedAnswer {
  status: number;
  text: string;
  headers: Record<string, string>;
}

/** Sends a crafted request (with `body`, by default its own) and returns all of the answer but the Date header. */
export async function answerCrafted(
  baseUrl: string,
  request: CraftedRequest,
  body = request.body,
): Promise<CraftedAnswer> {
  const response = await fetch(craftSignedUrl(baseUrl, request), {
    method: request.method,
    ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
  });
  const headers = Object.fromEntries(response.headers);
  delete headers.date;
  return { status: response.status, text: await response.text(), headers };
}

export async function sendCrafted(
  baseUrl: string,
  request: CraftedRequest,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const init: RequestInit = { method: request.method };
  if (request.body !== undefined) {
    init.body = request.body;
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(craftSignedUrl(baseUrl, request), init);
  const text = await response.text();
  return {
    status: response.status,
    body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
    headers: response.headers,
  };
}

/** The status and JSON body of a rejected SDK call (the SDK throws a RequestError for status ≥ 400). */
export async function sdkFailure(
  call: Promise<unknown>,
): Promise<{ status: number | undefined; body: unknown }> {
  try {
    await call;
  } catch (error) {
    const failure = error as { status?: number; body?: string };
    return {
      status: failure.status,
      body: failure.body === undefined ? undefined : (JSON.parse(failure.body) as unknown),
    };
  }
  throw new Error('expected the SDK call to fail');
}
