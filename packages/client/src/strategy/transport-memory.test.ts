import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/connection-fakes.js';
import { MemoryStorage } from '../platform/memory-storage.js';
import { TRANSPORT_MEMORY_KEYS, TransportMemory } from './transport-memory.js';

const TTL = 30 * 60_000;

describe('TransportMemory', () => {
  it('stores { transport, at, latency, reason } under a TLS-specific key', () => {
    const storage = new MemoryStorage();
    const clock = new FakeClock();
    const memory = new TransportMemory(storage, clock, TTL);
    memory.write(true, { transport: 'sse', latency: 120, reason: 'sse won' });
    expect(JSON.parse(storage.getItem(TRANSPORT_MEMORY_KEYS.tls) ?? 'null')).toEqual({
      transport: 'sse',
      at: 0,
      latency: 120,
      reason: 'sse won',
    });
    expect(storage.getItem(TRANSPORT_MEMORY_KEYS.plain)).toBeNull();
    expect(memory.read(true)).toEqual({ transport: 'sse', at: 0, latency: 120, reason: 'sse won' });
    expect(memory.read(false)).toBeNull();
    memory.write(false, { transport: 'long-poll', latency: 40, reason: 'x' });
    expect(memory.read(false)?.transport).toBe('long-poll');
    expect(memory.read(true)?.transport).toBe('sse');
  });

  it('expires after the TTL', async () => {
    const clock = new FakeClock();
    const memory = new TransportMemory(new MemoryStorage(), clock, TTL);
    memory.write(true, { transport: 'long-poll', latency: 10, reason: '' });
    await clock.advance(TTL);
    expect(memory.read(true)?.transport).toBe('long-poll');
    await clock.advance(1);
    expect(memory.read(true)).toBeNull();
  });

  it('forget removes the entry', () => {
    const memory = new TransportMemory(new MemoryStorage(), new FakeClock(), TTL);
    memory.write(true, { transport: 'sse', latency: 10, reason: '' });
    memory.forget(true);
    expect(memory.read(true)).toBeNull();
  });

  it('ignores malformed entries and unknown transports', () => {
    const storage = new MemoryStorage();
    const memory = new TransportMemory(storage, new FakeClock(), TTL);
    for (const raw of [
      '{',
      'null',
      '"sse"',
      JSON.stringify({ transport: 'xhr_streaming', at: 0, latency: 1 }),
      JSON.stringify({ transport: 'sse', at: 'x', latency: 1 }),
    ]) {
      storage.setItem(TRANSPORT_MEMORY_KEYS.tls, raw);
      expect(memory.read(true)).toBeNull();
    }
  });

  it('survives storage that throws (private browsing, zero quota)', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const memory = new TransportMemory(throwing, new FakeClock(), TTL);
    expect(() => memory.write(true, { transport: 'sse', latency: 1, reason: '' })).not.toThrow();
    expect(memory.read(true)).toBeNull();
    expect(() => memory.forget(true)).not.toThrow();
  });
});
