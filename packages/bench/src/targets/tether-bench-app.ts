import type { AppCredentials } from '../load/load-spec.js';

/** The one app the Tether target serves; the generator signs private-channel auth and API calls with it. */
export const tetherBenchApp = {
  id: 'bench',
  key: 'bench-key',
  secret: 'bench-secret',
} as const satisfies AppCredentials;
