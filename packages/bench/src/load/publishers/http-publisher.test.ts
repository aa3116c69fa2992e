import { once } from 'node:events';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createTetherServer, type TetherServer } from '@tether/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCredentials } from '../load-spec.js';
import { openPusherApiPublisher, PublishRefusedError } from './http-publisher.js';
import type { PublisherContext } from './publisher.js';

const app: AppCredentials = { id: 'bench-test', key: 'bench-test-key', secret: 'bench-test-secret' };

let tether: TetherServer;
let server: Server;
let agent: Agent;
let context: PublisherContext;

beforeAll(async () => {
  tether = createTetherServer({ apps: [app] });
  const express_ = express();
  express_.use(tether.router());
  server = createServer(express_);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  agent = new Agent({ keepAlive: true });
  const { port } = server.address() as AddressInfo;
  context = { host: '127.0.0.1', port, channel: 'bench', event: 'bench-event', agent, timeoutMs: 5_000 };
});

afterAll(async () => {
  agent.destroy();
  await tether.close();
  server.close();
  await once(server, 'close');
});

describe('openPusherApiPublisher against a Tether server', () => {
  it('has its signed publishes accepted', async () => {
    const publisher = openPusherApiPublisher(context, app);
    await expect(publisher.publish('{"n":1}')).resolves.toBeUndefined();
    await expect(publisher.publish('{"n":2,"text":"naïve"}')).resolves.toBeUndefined();
    publisher.close();
  });

  it('rejects with the status when only the signature is wrong (a wrong secret)', async () => {
    const publisher = openPusherApiPublisher(context, { ...app, secret: 'not-the-secret' });
    const refused = publisher.publish('{"n":1}');
    await expect(refused).rejects.toThrow(PublishRefusedError);
    await expect(refused).rejects.toMatchObject({
      status: 401,
      // Key, version, timestamp and body_md5 passed: the server names the signature as the failed check.
      message: expect.stringMatching(/^publish answered 401: .*auth_signature/),
    });
    publisher.close();
  });
});
