import { decodeServerFrame, encodeClientFrame, PusherEvent } from '@tether/protocol';
import type { ClientClock, TimerHandle } from '../platform/platform.js';
import type { TransportFactory } from '../transports/transport.js';
import { serverFrameIs } from '../connection/server-frame-is.js';
import { TransportAttempt, type EstablishedConnection } from './transport-attempt.js';

export interface ProbeHandlers {
  /** The probe completed the handshake and a ping round trip: its connection is handed over. */
  succeeded(connection: EstablishedConnection): void;
  failed(reason: string): void;
}

export interface ProbeDependencies {
  clock: ClientClock;
  createTransport: TransportFactory;
  attempt: number;
  handshakeTimeoutMs: number;
  pongTimeoutMs: number;
}

/**
 * A background WebSocket connection opened while the client runs on a fallback. It succeeds only
 * after the handshake and a `pusher:ping` → `pusher:pong` round trip, so the move back to WebSocket
 * is made before the fallback is broken.
 */
export function probeWebSocket(deps: ProbeDependencies, handlers: ProbeHandlers): { abort(): void } {
  let done = false;
  let pongTimer: TimerHandle = null;
  const transport = deps.createTransport('websocket', deps.attempt);
  const finish = (): void => {
    done = true;
    if (pongTimer !== null) deps.clock.clearTimeout(pongTimer);
    pongTimer = null;
  };
  const fail = (reason: string): void => {
    if (done) return;
    finish();
    transport.close();
    handlers.failed(reason);
  };
  const attempt = new TransportAttempt(transport, deps.clock, deps.handshakeTimeoutMs, {
    failed: (failure) => {
      if (done) return;
      finish();
      handlers.failed(`${failure.code} ${failure.reason}`);
    },
    established: (connection) => {
      if (done) return;
      transport.on('frame', ({ raw }) => {
        if (done) return;
        const decoded = decodeServerFrame(raw);
        if (!decoded.ok || !serverFrameIs(decoded.frame, PusherEvent.Pong)) return;
        finish();
        handlers.succeeded(connection);
      });
      transport.on('close', ({ code, reason }) =>
        fail(`closed during the ping round trip: ${code} ${reason}`),
      );
      pongTimer = deps.clock.setTimeout(
        () => fail(`no pong within ${deps.pongTimeoutMs} ms`),
        deps.pongTimeoutMs,
      );
      if (!transport.send(encodeClientFrame({ event: PusherEvent.Ping, data: {} })))
        fail('could not send the ping');
    },
  });
  attempt.start();
  return {
    abort: () => {
      if (done) return;
      finish();
      attempt.abort();
      transport.close();
    },
  };
}
