import type { FetchLike } from '../../src/platform/platform.js';

export interface RecordedRequest {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: string;
}

export type FakeReply = { status: number; body: string } | Error;

/**
 * A scripted fetch: records every request and answers with `reply(request)`. Answers are
 * delivered when the test calls `release()` if `manual` is set, so races can be staged.
 */
export function fakeFetch(reply: (request: RecordedRequest) => FakeReply, manual = false) {
  const requests: RecordedRequest[] = [];
  const waiting: (() => void)[] = [];
  const fetch: FetchLike = (url, init) => {
    const request: RecordedRequest = {
      url,
      method: init?.method,
      headers: { ...init?.headers },
      body: init?.body ?? '',
    };
    requests.push(request);
    return new Promise((resolve, reject) => {
      const answer = (): void => {
        const result = reply(request);
        if (result instanceof Error) {
          reject(result);
          return;
        }
        resolve({
          ok: result.status >= 200 && result.status < 300,
          status: result.status,
          text: () => Promise.resolve(result.body),
        });
      };
      if (manual) waiting.push(answer);
      else answer();
    });
  };
  return {
    fetch,
    requests,
    /** Answers the oldest waiting request. */
    release(): void {
      waiting.shift()?.();
    },
  };
}

/** Lets pending promise callbacks (auth round trips) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}
