import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/connection-fakes.js';
import type { FetchLike } from '../platform/platform.js';
import { httpReachability } from './reachability.js';

type Init = Parameters<FetchLike>[1];

function setup(answer: (init: Init) => Promise<{ status: number }>) {
  const clock = new FakeClock();
  const seen: { url: string; init: Init }[] = [];
  const fetch: FetchLike = (url, init) => {
    seen.push({ url, init });
    return answer(init).then(({ status }) => ({ ok: status < 300, status, text: () => Promise.resolve('') }));
  };
  return { clock, seen, check: httpReachability({ fetch, clock }, 'http://h.test/', 3_000) };
}

describe('httpReachability', () => {
  it('counts any answer below 500 as reachable, including the opaque status 0 of a no-cors request', async () => {
    for (const status of [0, 200, 404, 499]) {
      const { check, seen } = setup(() => Promise.resolve({ status }));
      expect(await check()).toBe(true);
      expect(seen[0]).toMatchObject({ url: 'http://h.test/', init: { method: 'GET', mode: 'no-cors' } });
    }
  });

  it('counts gateway errors and network failures as unreachable', async () => {
    expect(await setup(() => Promise.resolve({ status: 502 })).check()).toBe(false);
    expect(await setup(() => Promise.reject(new TypeError('Failed to fetch'))).check()).toBe(false);
  });

  it('gives up after the timeout and aborts the request', async () => {
    const { check, clock, seen } = setup(() => new Promise(() => undefined));
    const verdict = check();
    await clock.advance(2_999);
    let settled = false;
    void verdict.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await verdict).toBe(false);
    expect(seen[0]?.init?.signal?.aborted).toBe(true);
  });
});
