import { once } from 'node:events';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Pusher from 'pusher';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppCredentials } from '../load-spec.js';
import { openPusherApiPublisher } from './http-publisher.js';
import { signedTriggerRequest, unixSeconds } from './signed-api-request.js';

interface Recorded {
  method: string | undefined;
  url: string | undefined;
  contentType: string | undefined;
  body: string;
}

const app: AppCredentials = { id: '4242', key: 'key-7f3a', secret: 'secret-9c1e' };
const trigger = { channel: 'private-bench', event: 'bench-event', data: '{"n":7,"text":"naïve – ✓"}' };
const FIXED_TIME = new Date('2026-03-04T05:06:07.890Z');

/** A local HTTP server that records every request and answers 200 `{}`, as the API answers a trigger. */
let server: Server;
let port: number;
let recorded: Recorded[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      recorded.push({
        method: req.method,
        url: req.url,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

afterEach(() => {
  vi.useRealTimers();
  recorded = [];
});

/** What the official SDK sends for `trigger(channel, event, data)` at the faked time. */
async function sdkRequest(): Promise<Recorded> {
  const pusher = new Pusher({ ...app, appId: app.id, host: '127.0.0.1', port: String(port), useTLS: false });
  await pusher.trigger(trigger.channel, trigger.event, trigger.data);
  const [request] = recorded.splice(0);
  if (request === undefined) throw new Error('the SDK sent nothing');
  return request;
}

describe('signedTriggerRequest', () => {
  it('makes the path, query and body the pusher SDK sends for the same trigger at the same second', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FIXED_TIME);
    const sdk = await sdkRequest();
    const ours = signedTriggerRequest(app, trigger, unixSeconds());
    expect(sdk.url).toContain(`auth_timestamp=${Math.trunc(FIXED_TIME.getTime() / 1000)}&`);
    expect({ method: ours.method, url: ours.path, body: ours.body }).toEqual({
      method: sdk.method,
      url: sdk.url,
      body: sdk.body,
    });
  });

  it('signs the timestamp it is given', () => {
    const at = (seconds: number) => signedTriggerRequest(app, trigger, seconds).path;
    expect(at(1_000)).toContain('auth_timestamp=1000&');
    expect(at(1_000)).toBe(at(1_000));
    expect(at(1_000).split('auth_signature=')[1]).not.toBe(at(1_001).split('auth_signature=')[1]);
  });
});

describe('openPusherApiPublisher', () => {
  it('sends on the wire what the pusher SDK sends: method, path and query, content type and body', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FIXED_TIME);
    const sdk = await sdkRequest();
    const agent = new Agent({ keepAlive: true });
    const publisher = openPusherApiPublisher(
      { host: '127.0.0.1', port, channel: trigger.channel, event: trigger.event, agent, timeoutMs: 5_000 },
      app,
    );
    await publisher.publish(trigger.data);
    publisher.close();
    agent.destroy();
    expect(recorded).toEqual([sdk]);
  });
});
