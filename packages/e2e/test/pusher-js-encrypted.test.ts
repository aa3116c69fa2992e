import { randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from '../src/compat-server.js';
import { nextEvent, nextMessage, PUSHER_JS_TRANSPORTS, PusherJsClients } from '../src/pusher-js-clients.js';

let server: CompatServer | undefined;
const clients = new PusherJsClients();

afterEach(async () => {
  clients.disconnectAll();
  await server?.close();
  server = undefined;
});

describe.each(PUSHER_JS_TRANSPORTS)(
  'stock pusher-js over %s: private-encrypted channels (item 19)',
  (transport) => {
    it('an SDK-encrypted trigger is relayed as ciphertext and decrypted by pusher-js with tweetnacl', async () => {
      const s = (server = await startCompatServer({
        encryptionMasterKeyBase64: randomBytes(32).toString('base64'),
      }));
      const pusher = clients.create({ port: s.port, transport, options: { nacl } });
      const channel = pusher.subscribe('private-encrypted-vault');
      await nextEvent(channel, 'pusher:subscription_succeeded');

      const secret = { pin: '4711', note: 'ünïcode ✓' };
      const onWire = nextMessage(pusher, (m) => m.event === 'opened');
      const decrypted = nextEvent(channel, 'opened');
      await s.sdk.trigger('private-encrypted-vault', 'opened', secret);
      // What the server relayed: nonce + ciphertext only, the plaintext nowhere in it.
      const wire = (await onWire).data as { nonce: string; ciphertext: string };
      expect(Object.keys(wire).sort()).toEqual(['ciphertext', 'nonce']);
      expect(JSON.stringify(wire)).not.toContain('4711');
      expect((await decrypted).data).toEqual(secret);
    });
  },
);
