import { vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { HttpFallbackContext, ReceiveRequestInfo } from '../../src/transports/http-fallback-context.js';
import { createHttpFallbackContext } from '../../src/transports/http-fallback-context-factory.js';
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
    context: createHttpFallbackContext(new HttpSessions(host, systemClock, all), systemClock, all),
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

/** A poll request's parts: the key and its `cursor` query value. */
export const pollRequest = (
  cursor: number | string | null,
  key = TEST_APP_KEY,
): { key: string; cursor: string | null } => ({
  key,
  cursor: cursor === null ? null : String(cursor),
});

/**
 * Under fake timers: lets the current turn of the event loop end, so frames handed to HTTP sessions
 * during it are delivered (they go out together at the end of the turn, not one by one).
 */
export function endOfTurn(): void {
  vi.advanceTimersByTime(0);
}
