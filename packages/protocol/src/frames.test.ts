import { describe, expect, it } from 'vitest';
import {
  isClientEventName,
  isProtocolEvent,
  isReservedEventName,
  PROTOCOL_VERSION,
  PusherEvent,
} from './frames.js';

describe('event names', () => {
  it('speaks protocol 7', () => {
    expect(PROTOCOL_VERSION).toBe(7);
  });

  it('recognises client events', () => {
    expect(isClientEventName('client-typing')).toBe(true);
    expect(isClientEventName('client-')).toBe(false);
    expect(isClientEventName('Client-x')).toBe(false);
    expect(isClientEventName('my-client-x')).toBe(false);
  });

  it('reserves pusher: and pusher_internal:', () => {
    expect(isReservedEventName('pusher:anything')).toBe(true);
    expect(isReservedEventName('pusher_internal:anything')).toBe(true);
    expect(isReservedEventName('pusher-x')).toBe(false);
    expect(isReservedEventName('client-x')).toBe(false);
  });

  it('knows every protocol event and only those', () => {
    for (const event of Object.values(PusherEvent)) {
      expect(isProtocolEvent(event)).toBe(true);
      expect(isReservedEventName(event)).toBe(true);
    }
    expect(isProtocolEvent('pusher:foo')).toBe(false);
    expect(isProtocolEvent('my-event')).toBe(false);
  });
});
