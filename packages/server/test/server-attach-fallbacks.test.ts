import { decodeLongPollBatch, httpRoutePath } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import { attachedAppPerTest } from './support/attached-app.js';

const KEY = 'app-key';
const OPEN = `${httpRoutePath.longPollOpen(KEY)}?protocol=7&client=test&version=1`;

/** An app whose own middleware refuses every request it sees, mounted before Tether's router. */
const start = attachedAppPerTest((seen) => (req, res) => {
  seen.push(req.url);
  res.status(403).json({ error: 'the app refused it' });
});

describe('attach(server, { fallbacksFirst })', () => {
  it('answers the fallback routes before the app and hands every other request to it', async () => {
    const { seenByApp, url } = await start({ fallbacksFirst: true });
    const opened = await fetch(url(OPEN));
    expect(opened.status).toBe(200);
    const batch = decodeLongPollBatch(await opened.text());
    expect(batch.ok && batch.value.frames[0]).toContain('pusher:connection_established');

    const other = await fetch(url('/health'));
    expect(other.status).toBe(403);
    expect(seenByApp).toEqual(['/health']);
  });

  it('by default leaves the fallback routes to the app, where router() is mounted', async () => {
    const { seenByApp, url } = await start();
    expect((await fetch(url(OPEN))).status).toBe(403);
    expect(seenByApp).toEqual([OPEN]);
  });

  it('gives the server its own request listeners back when Tether closes', async () => {
    const { tether, http, seenByApp, url } = await start({ fallbacksFirst: true });
    await tether.close({ drainMs: 100 });
    expect(http.listenerCount('request')).toBe(1);
    expect((await fetch(url(OPEN))).status).toBe(403);
    expect(seenByApp).toEqual([OPEN]);
  });
});
