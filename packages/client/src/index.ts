/**
 * @tether/client for browsers (and any runtime with WebSocket / EventSource / fetch globals).
 * No Node code: the platform comes from the global scope.
 */
import { Tether as TetherClient } from './client.js';
import type { TetherOptions } from './client-options.js';
import { globalPlatform } from './platform/globals.js';
import { tetherEnvironment } from './tether-environment.js';

const browserEnvironment = tetherEnvironment(() => globalPlatform());

/** `new Tether(key, { host, authEndpoint, ... })`: connects at once unless `autoConnect: false`. */
export class Tether extends TetherClient {
  constructor(key: string, options: TetherOptions = {}) {
    super(key, options, browserEnvironment);
  }
}

export { globalPlatform } from './platform/globals.js';
export * from './public-api.js';
