import { apiSignatureDefaults } from '../auth/api-signature.js';

/**
 * Router-wide limits of the HTTP API. Per-app limits (payload bytes, channels per trigger, batch size,
 * event name length) come from each app's `AppConfig`.
 */
export const apiLimitsDefaults = {
  /** Raw request body bytes read before answering 413; generous enough for a full batch of 10 KB events. */
  maxBodyBytes: 1024 * 1024,
  /** Allowed distance of `auth_timestamp` from the server clock (Pusher: ±600 s). */
  timestampWindowSeconds: apiSignatureDefaults.timestampWindowSeconds,
} as const;

export type ApiLimits = { [K in keyof typeof apiLimitsDefaults]: number };
