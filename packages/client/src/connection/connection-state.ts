/** Connection states, as pusher-js names them (spec §3.1). */
export const ConnectionState = {
  Initialized: 'initialized',
  Connecting: 'connecting',
  Connected: 'connected',
  /** Still connecting after `unavailableTimeout`: retries continue in the background. */
  Unavailable: 'unavailable',
  /** No transport is supported at all. */
  Failed: 'failed',
  /** Stopped: by the app, or by a `refused` close. */
  Disconnected: 'disconnected',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];
