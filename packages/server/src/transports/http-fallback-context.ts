import { randomBytes } from 'node:crypto';
import { encodeFrame, PusherEvent } from '@tether/protocol';
import type { Clock } from '../clock.js';
import type { ExpiryQueues } from './http-expiry-queue.js';
import type { HttpFallbackLimits } from './http-fallback-options.js';
import type { HttpSessions } from './http-sessions.js';
import type { StreamHeartbeats } from './http-stream-heartbeats.js';
import type { StreamFraming } from './http-stream-receiver.js';

/**
 * What every HTTP transport endpoint needs: the session table, time, the limits, and the timers every
 * receive request shares (held polls' deadlines, streams' heartbeats).
 */
export interface HttpFallbackContext {
  sessions: HttpSessions;
  clock: Clock;
  limits: HttpFallbackLimits;
  /** Hold deadlines of polls, one queue per hold time. */
  expiries: ExpiryQueues;
  heartbeats: StreamHeartbeats;
  /** The stream framings at these limits, built once. */
  framings: { sse: StreamFraming; sockjsStream: StreamFraming };
}
/** The parts of a receive request an endpoint reads. */
export interface ReceiveRequestInfo {
  key: string;
  query: URLSearchParams;
  remoteAddress: string | undefined;
}

const SESSION_ID_BYTES = 18;

/** A server-issued session id for Tether's transports: 24 URL-safe characters, unguessable. */
export const newHttpSessionId = (): string => randomBytes(SESSION_ID_BYTES).toString('base64url');

/** The `pusher:error` frame that precedes the close of a refused open on Tether's transports. */
export const refusalFrame = (code: number, reason: string): string =>
  encodeFrame({ event: PusherEvent.Error, data: { message: reason, code } });
