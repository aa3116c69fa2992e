import { describe, expect, it } from 'vitest';
import { defaultAppCredentials } from './app-config.js';
import { AppRegistry } from './app-registry.js';

const app = (id: string, key: string) => ({ id, key, secret: `${id}-secret` });

describe('AppRegistry', () => {
  it('serves the default app when none is configured', () => {
    const registry = new AppRegistry();
    expect(registry.findByKey(defaultAppCredentials.key)?.id).toBe(defaultAppCredentials.id);
    expect(registry.all()).toHaveLength(1);
  });

  it('finds each app by key and by id', () => {
    const registry = new AppRegistry([app('1', 'k1'), app('2', 'k2')]);
    expect(registry.findByKey('k2')?.id).toBe('2');
    expect(registry.findById('1')?.key).toBe('k1');
    expect(registry.findByKey('nope')).toBeUndefined();
  });

  it('refuses two apps with one key or one id', () => {
    expect(() => new AppRegistry([app('1', 'k'), app('2', 'k')])).toThrow(/share the key k/);
    expect(() => new AppRegistry([app('1', 'a'), app('1', 'b')])).toThrow(/share the id 1/);
  });

  it.each(['.', '..', ''])('refuses the key %j, which no connect URL can carry', (key) => {
    expect(() => new AppRegistry([app('1', key)])).toThrow(/cannot appear in a URL path/);
  });
});
