/**
 * @tether/client for Node: the same API, with `ws`, the `eventsource` package and Node's fetch as
 * the default platform. Auth endpoints must be absolute URLs here.
 */
import { Tether as TetherClient } from './client.js';
import type { TetherOptions } from './client-options.js';
import { nodePlatform } from './platform/node-platform.js';
import { tetherEnvironment } from './tether-environment.js';

const nodeEnvironment = tetherEnvironment(() => nodePlatform());

/** `new Tether(key, { host, port, channelAuthorization: { endpoint: 'http://…' } })`. */
export class Tether extends TetherClient {
  constructor(key: string, options: TetherOptions = {}) {
    super(key, options, nodeEnvironment);
  }
}

export { nodePlatform } from './platform/node-platform.js';
export { globalPlatform } from './platform/globals.js';
export * from './public-api.js';
