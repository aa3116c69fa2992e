import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from './redis-connection.js';

describe('parseRedisUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(parseRedisUrl('redis://redis.local')).toEqual({ host: 'redis.local', port: 6379 });
    expect(parseRedisUrl('redis://user:p%40ss@10.0.0.5:6380/3')).toEqual({
      host: '10.0.0.5',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 3,
    });
    expect(parseRedisUrl('redis://:secret@[::1]:7000')).toEqual({
      host: '::1',
      port: 7000,
      password: 'secret',
    });
  });

  it('refuses TLS and bad databases', () => {
    expect(() => parseRedisUrl('rediss://127.0.0.1')).toThrow(/redis:\/\/ only/);
    expect(() => parseRedisUrl('redis://127.0.0.1/x')).toThrow(/bad Redis database/);
  });
});

describe('redactRedisUrl', () => {
  it('hides the credentials', () => {
    expect(redactRedisUrl('redis://user:secret@host:1/2')).toBe('redis://***@host:1/2');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
