import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import { postWebhook } from './post-webhook.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const post = { url: 'http://hooks.test/x', headers: { 'Content-Type': 'application/json' }, body: '{}' };

describe('postWebhook', () => {
  it('POSTs the body and headers; 2xx is success', async () => {
    const fetchFn = vi.fn<typeof fetch>(() => Promise.resolve(new Response(null, { status: 204 })));
    expect(await postWebhook(fetchFn, systemClock, post, 1000)).toEqual({ ok: true });
    const [url, init] = fetchFn.mock.calls[0]!;
    expect(url).toBe(post.url);
    expect(init).toMatchObject({ method: 'POST', headers: post.headers, body: '{}' });
  });

  it('reports a non-2xx status', async () => {
    const fetchFn = vi.fn<typeof fetch>(() => Promise.resolve(new Response('no', { status: 503 })));
    expect(await postWebhook(fetchFn, systemClock, post, 1000)).toEqual({ ok: false, reason: 'status 503' });
  });

  it('reports a network error, even a synchronous throw', async () => {
    const rejecting = vi.fn<typeof fetch>(() => Promise.reject(new TypeError('fetch failed')));
    expect(await postWebhook(rejecting, systemClock, post, 1000)).toEqual({
      ok: false,
      reason: 'fetch failed',
    });
    const throwing = vi.fn<typeof fetch>(() => {
      throw new Error('boom');
    });
    expect(await postWebhook(throwing, systemClock, post, 1000)).toEqual({ ok: false, reason: 'boom' });
  });

  it('aborts after the timeout', async () => {
    const hanging = vi.fn<typeof fetch>(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const pending = postWebhook(hanging, systemClock, post, 1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(hanging.mock.calls[0]?.[1]?.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({ ok: false, reason: 'no response within 1000 ms' });
  });
});
