import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/test-server.js';
import { ClientPool } from './support/ws-test-client.js';

let server: TestServer | undefined;
let pool: ClientPool | undefined;

afterEach(async () => {
  pool?.closeAll();
  await server?.close();
  server = undefined;
});

/** A full garbage collection, without starting the test runner with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** WeakRefs keep their target until the current job ends: collect on a later turn. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WebSocket upgrade memory', () => {
  it('does not keep the upgrade request (headers, URL) alive for the life of the connection', async () => {
    server = await startServer();
    pool = new ClientPool(server.wsUrl);
    let request: WeakRef<IncomingMessage> | undefined;
    server.http.prependListener('upgrade', (req: IncomingMessage) => {
      request = new WeakRef(req);
    });
    await pool.connect();
    expect(request).toBeDefined();
    for (let attempt = 0; attempt < 3 && request?.deref() !== undefined; attempt += 1) {
      await nextTurn();
      collectGarbage();
    }
    expect(request?.deref()).toBeUndefined();
    expect(server.tether.connectionCount).toBe(1);
  });
});
