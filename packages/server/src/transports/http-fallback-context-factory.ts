import type { Clock } from '../clock.js';
import type { HttpFallbackContext } from './http-fallback-context.js';
import { ExpiryQueues } from './http-expiry-queue.js';
import type { HttpFallbackLimits } from './http-fallback-options.js';
import type { HttpSessions } from './http-sessions.js';
import { StreamHeartbeats } from './http-stream-heartbeats.js';
import { sockjsStreamFraming } from './sockjs-streaming.js';
import { sseFraming } from './sse.js';

/** The context over a session table. */
export function createHttpFallbackContext(
  sessions: HttpSessions,
  clock: Clock,
  limits: HttpFallbackLimits,
): HttpFallbackContext {
  return {
    sessions,
    clock,
    limits,
    expiries: new ExpiryQueues(clock),
    heartbeats: new StreamHeartbeats(clock),
    framings: { sse: sseFraming(limits), sockjsStream: sockjsStreamFraming(limits) },
  };
}
