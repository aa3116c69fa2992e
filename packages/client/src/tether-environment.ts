import type { TetherEnvironment } from './client.js';
import { ConnectionManager } from './connection/connection-manager.js';
import type { Platform } from './platform/platform.js';

/** The environment an entry point gives `Tether`: its default platform and the real ConnectionManager. */
export function tetherEnvironment(defaultPlatform: () => Platform): TetherEnvironment {
  return {
    platform: defaultPlatform,
    createConnection: (key, options, platform) => new ConnectionManager({ ...options, key }, platform),
  };
}
