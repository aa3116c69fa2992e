import Pusher from 'pusher';
import type { AppCredentials } from './load-spec.js';

/** A private-channel `auth` signed by the official `pusher` SDK, as an app's auth endpoint would return it. */
export function createChannelAuthorizer(app: AppCredentials): (socketId: string, channel: string) => string {
  const pusher = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1' });
  return (socketId, channel) => pusher.authorizeChannel(socketId, channel).auth;
}
