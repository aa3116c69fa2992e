import type { ClusterChange } from '../adapters/adapter.js';
import type { AppRegistry } from '../app-registry.js';
import type { ServerEventEmitter } from '../server-event-emitter.js';

/**
 * Raises the server event for a transition the adapter made on its own (a dead node reaped, this node
 * re-registered after being reaped), exactly as a session raises it for an ordinary join or leave, so
 * webhooks (with their leave delay), metrics and `server.on(...)` listeners see it. Unknown apps are ignored.
 */
export function reportClusterChange(
  apps: AppRegistry,
  events: ServerEventEmitter,
  change: ClusterChange,
): void {
  const app = apps.findById(change.appId);
  if (app === undefined) return;
  switch (change.kind) {
    case 'channel_occupied':
      events.emit('channel_occupied', { app, channel: change.channel });
      return;
    case 'channel_vacated':
      events.emit('channel_vacated', { app, channel: change.channel });
      return;
    case 'member_added':
      events.emit('member_added', { app, channel: change.channel, userId: change.userId });
      return;
    case 'member_removed':
      events.emit('member_removed', { app, channel: change.channel, userId: change.userId });
      return;
    default: {
      const unreachable: never = change;
      return unreachable;
    }
  }
}
