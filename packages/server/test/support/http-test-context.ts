import { systemClock } from '../../src/clock.js';
import type { HttpFallbackContext, ReceiveRequestInfo } from '../../src/transports/http-fallback-context.js';
import { httpFallbackDefaults, type HttpFallbackLimits } from '../../src/transports/http-fallback-options.js';
import { HttpSessions } from '../../src/transports/http-sessions.js';
import { HttpTestHost, TEST_APP_KEY } from './http-test-host.js';

/** An endpoint context over the test host, on the system clock (fake it with vi.useFakeTimers). */
export function makeHttpTestContext(limits: Partial<HttpFallbackLimits> = {}): {
  context: HttpFallbackContext;
  host: HttpTestHost;
} {
  const host = new HttpTestHost();
  const all: HttpFallbackLimits = { ...httpFallbackDefaults, ...limits };
  return {
    host,
    context: { sessions: new HttpSessions(host, systemClock, all), clock: systemClock, limits: all },
  };
}

export const receiveRequest = (
  query = 'protocol=7&client=js&version=8.6.0',
  key = TEST_APP_KEY,
): ReceiveRequestInfo => ({
  key,
  query: new URLSearchParams(query),
  remoteAddress: '127.0.0.1',
});
