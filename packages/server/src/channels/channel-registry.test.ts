import { ChannelKind, type ChannelInfo } from '@tether/protocol';
import { describe, expect, it } from 'vitest';
import { ChannelRegistry } from './channel-registry.js';
import type { LocalRecipient } from './local-recipient.js';

function recipient(socketId: string): LocalRecipient & { got: string[] } {
  const got: string[] = [];
  return { socketId, got, send: (frame) => got.push(frame), terminateAsUser: () => undefined };
}

const info = (name: string): ChannelInfo => ({ name, kind: ChannelKind.Private, cache: false });

describe('ChannelRegistry', () => {
  it('hands every subscriber of a channel the same info, until the channel has no local subscriber', () => {
    const registry = new ChannelRegistry();
    const [a, b, c] = [recipient('1.1'), recipient('1.2'), recipient('1.3')];
    const first = info('private-a');
    expect(registry.addToChannel('app', first, a)).toBe(first);
    expect(registry.addToChannel('app', info('private-a'), b)).toBe(first);
    expect(registry.addToChannel('other-app', info('private-a'), c)).not.toBe(first);
    registry.removeFromChannel('app', 'private-a', a);
    registry.removeFromChannel('app', 'private-a', b);
    expect(registry.localSubscriberCount('app', 'private-a')).toBe(0);
    const again = info('private-a');
    expect(registry.addToChannel('app', again, a)).toBe(again);
  });

  it('delivers a channel frame to its local subscribers but the excluded socket, and nowhere else', () => {
    const registry = new ChannelRegistry();
    const [a, b, c] = [recipient('1.1'), recipient('1.2'), recipient('1.3')];
    registry.addToChannel('app', info('private-a'), a);
    registry.addToChannel('app', info('private-a'), b);
    registry.addToChannel('app', info('private-b'), c);
    registry.deliver({
      kind: 'channel',
      appId: 'app',
      channel: 'private-a',
      frame: 'f1',
      exceptSocketId: '1.2',
    });
    registry.removeFromChannel('app', 'private-a', a);
    registry.deliver({ kind: 'channel', appId: 'app', channel: 'private-a', frame: 'f2' });
    registry.deliver({ kind: 'channel', appId: 'app', channel: 'private-none', frame: 'f3' });
    expect([a.got, b.got, c.got]).toEqual([['f1'], ['f2'], []]);
    expect(registry.localSubscriberCount('app', 'private-a')).toBe(1);
  });
});
