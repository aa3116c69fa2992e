import type { Adapter } from './adapters/adapter.js';
import type { ChannelRegistry } from './channels/channel-registry.js';
import type { Clock } from './clock.js';
import type { TetherServerOptions } from './options.js';
import type { ServerEventEmitter } from './server-event-emitter.js';
import type { Session } from './session.js';

/** What a Session needs from the server that owns it; nothing else of the server is reachable. */
export interface SessionServices {
  readonly clock: Clock;
  readonly adapter: Adapter;
  readonly registry: ChannelRegistry;
  readonly events: ServerEventEmitter;
  readonly options: Pick<
    TetherServerOptions,
    'activityTimeoutSeconds' | 'heartbeatIntervalMs' | 'pongTimeoutMs' | 'closeGraceMs' | 'maxFrameBytes'
  >;
  /** Called once, after the session has left every channel. */
  sessionEnded(session: Session): void;
}
