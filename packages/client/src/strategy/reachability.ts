import type { Platform } from '../platform/platform.js';

const HTTP_SERVER_ERROR = 500;

/** Answers "can the server be reached over HTTP right now?" Injected so tests decide. */
export type ReachabilityCheck = () => Promise<boolean>;

/**
 * A GET of a cheap URL on the server. Any answer below 500 proves reachability (a 404 still came
 * from the server); a network error, a gateway error or no answer in time does not. The request is
 * `no-cors`: in a browser on another origin than the server the answer is opaque (status 0), which
 * still proves the server answered, where a CORS-mode request would fail and wrongly blame the network.
 */
export function httpReachability(
  platform: Pick<Platform, 'fetch' | 'clock'>,
  url: string,
  timeoutMs: number,
): ReachabilityCheck {
  return () =>
    new Promise<boolean>((resolve) => {
      const controller = typeof AbortController === 'function' ? new AbortController() : null;
      let settled = false;
      const settle = (value: boolean): void => {
        if (settled) return;
        settled = true;
        platform.clock.clearTimeout(timer);
        resolve(value);
      };
      const timer = platform.clock.setTimeout(() => {
        controller?.abort();
        settle(false);
      }, timeoutMs);
      const init = { method: 'GET', mode: 'no-cors' } as const;
      platform
        .fetch(url, controller ? { ...init, signal: controller.signal } : init)
        .then((response) => settle(response.status < HTTP_SERVER_ERROR))
        .catch(() => settle(false));
    });
}
