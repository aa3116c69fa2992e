import { describe, expect, it, vi } from 'vitest';
import { EventDispatcher } from './events.js';

interface Known {
  ping: { event: 'ping'; n: number };
}
type Other = { event: string; data: unknown };

describe('EventDispatcher', () => {
  it('calls named listeners with one context object, and global listeners for every event', () => {
    const events = new EventDispatcher<Known, Other>();
    const named = vi.fn();
    const global = vi.fn();
    events.bind('ping', named);
    events.bind_global(global);
    events.emit('ping', { event: 'ping', n: 1 });
    events.emit('other', { event: 'other', data: 2 });
    expect(named).toHaveBeenCalledTimes(1);
    expect(named).toHaveBeenCalledWith({ event: 'ping', n: 1 });
    expect(global.mock.calls).toEqual([[{ event: 'ping', n: 1 }], [{ event: 'other', data: 2 }]]);
  });

  it('unbinds one listener, all of an event, all named, global ones, and through the returned function', () => {
    const events = new EventDispatcher<Known, Other>();
    const a = vi.fn();
    const b = vi.fn();
    const g = vi.fn();
    const offA = events.bind('ping', a);
    events.bind('ping', b);
    events.bind('x', b);
    events.bind_global(g);
    offA();
    events.emit('ping', { event: 'ping', n: 1 });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledTimes(1);
    events.unbind('ping');
    events.emit('ping', { event: 'ping', n: 2 });
    expect(b).toHaveBeenCalledTimes(1);
    events.unbind();
    events.emit('x', { event: 'x', data: null });
    expect(b).toHaveBeenCalledTimes(1);
    events.unbind_global(g);
    events.emit('x', { event: 'x', data: null });
    expect(g).toHaveBeenCalledTimes(3);
    expect(events.emit('x', { event: 'x', data: null })).toBe(false);
  });

  it('lets a listener unbind itself during dispatch without skipping the others', () => {
    const events = new EventDispatcher<Known, Other>();
    const second = vi.fn();
    const off = events.bind('ping', () => off());
    events.bind('ping', second);
    events.emit('ping', { event: 'ping', n: 1 });
    events.emit('ping', { event: 'ping', n: 2 });
    expect(second).toHaveBeenCalledTimes(2);
    expect(events.listenerCount('ping')).toBe(1);
  });

  it('runs every listener even when one throws, then rethrows the first error', () => {
    const events = new EventDispatcher<Known, Other>();
    const after = vi.fn();
    events.bind('ping', () => {
      throw new Error('boom');
    });
    events.bind('ping', after);
    expect(() => events.emit('ping', { event: 'ping', n: 1 })).toThrow('boom');
    expect(after).toHaveBeenCalledTimes(1);
  });
});
