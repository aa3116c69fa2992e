import { Channel, type SubscribeAuth } from './channel.js';

/** Name of the failure type pusher-js reports when an authorizer fails. */
export const AUTH_ERROR_TYPE = 'AuthError' as const;

/** A private channel: subscribing needs a signature from the app's auth endpoint (spec §6.1). */
export class PrivateChannel extends Channel {
  protected override async authorize(socketId: string): Promise<SubscribeAuth> {
    const outcome = await this.host.authorizeChannel({ socketId, channelName: this.name });
    if (!outcome.ok)
      return { ok: false, type: AUTH_ERROR_TYPE, status: outcome.status, error: outcome.error };
    return this.accept(outcome.data.auth, outcome.data.channel_data);
  }

  /** What to send once authorized; presence channels also check `channel_data`. */
  protected accept(auth: string, channelData: string | undefined): SubscribeAuth {
    return channelData === undefined ? { ok: true, auth } : { ok: true, auth, channelData };
  }
}
