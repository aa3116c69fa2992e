import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloseCode } from './close-codes.js';
import { appPath, checkProtocolVersion, isRoutableAppKey, parseAppPath } from './connect.js';

describe('checkProtocolVersion', () => {
  it('accepts 7', () => {
    expect(checkProtocolVersion('7')).toEqual({ ok: true, protocol: 7 });
    expect(checkProtocolVersion('07')).toEqual({ ok: true, protocol: 7 });
  });

  it.each([null, undefined, ''])('refuses a missing version (%j) with 4008 unless lenient', (value) => {
    expect(checkProtocolVersion(value)).toMatchObject({ ok: false, closeCode: CloseCode.NoProtocolVersion });
    expect(checkProtocolVersion(value, { lenient: true })).toEqual({ ok: true, protocol: 7 });
  });

  it.each(['abc', '7.0', '-7', ' 7', '7 ', '0x7', '1e1', '12345'])(
    'refuses the malformed %j with 4006',
    (value) => {
      const result = checkProtocolVersion(value, { lenient: true });
      expect(result).toMatchObject({ ok: false, closeCode: CloseCode.InvalidVersionFormat });
    },
  );

  it.each(['5', '6', '8', '0', '9999'])('refuses the unsupported %s with 4007', (value) => {
    expect(checkProtocolVersion(value)).toMatchObject({
      ok: false,
      closeCode: CloseCode.UnsupportedProtocolVersion,
    });
  });

  it('keeps the echoed value short', () => {
    const result = checkProtocolVersion('x'.repeat(10_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(80);
  });
});

describe('parseAppPath', () => {
  it.each([
    ['/app/key', '', 'key'],
    ['/app/key/', '', 'key'],
    ['/app/a%20b', '', 'a b'],
    ['/ws/app/key', '/ws', 'key'],
  ])('%s (prefix %j) → %s', (path, prefix, key) => {
    expect(parseAppPath(path, prefix)).toBe(key);
  });

  it.each([
    ['/app/', ''],
    ['/app', ''],
    ['/apps/key', ''],
    ['/app/key/extra', ''],
    ['/app/%E0%A4%A', ''],
    ['/x/app/key', ''],
    ['/app/key', '/ws'],
    ['', ''],
  ])('%s (prefix %j) → null', (path, prefix) => {
    expect(parseAppPath(path, prefix)).toBeNull();
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (path, prefix) => {
        const key = parseAppPath(path, prefix);
        if (key !== null) expect(key.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('appPath', () => {
  it('builds the connect path with protocol, client and version', () => {
    expect(appPath('my key', { client: 'tether-js', version: '0.1.0' })).toBe(
      '/app/my%20key?protocol=7&client=tether-js&version=0.1.0',
    );
    expect(appPath('k', { prefix: '/ws', client: 'js', version: '8.6.0' })).toBe(
      '/ws/app/k?protocol=7&client=js&version=8.6.0',
    );
  });

  it.each(['.', '..', ''])('calls %j unroutable, because a URL parser folds it away', (key) => {
    expect(isRoutableAppKey(key)).toBe(false);
    const url = new URL(appPath(key, { client: 'c', version: '1' }), 'http://localhost');
    expect(parseAppPath(url.pathname)).toBeNull();
  });

  it.each(['app-key', '...', '.a', 'a.', '278d425bdf160c739803'])('calls %j routable', (key) => {
    expect(isRoutableAppKey(key)).toBe(true);
  });

  it('round-trips through parseAppPath and checkProtocolVersion (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter(isRoutableAppKey), fc.string(), (key, version) => {
        const url = new URL(appPath(key, { prefix: '/p', client: 'c&d', version }), 'http://localhost');
        expect(parseAppPath(url.pathname, '/p')).toBe(key);
        expect(checkProtocolVersion(url.searchParams.get('protocol'))).toEqual({ ok: true, protocol: 7 });
        expect(url.searchParams.get('client')).toBe('c&d');
        expect(url.searchParams.get('version')).toBe(version);
      }),
    );
  });
});
