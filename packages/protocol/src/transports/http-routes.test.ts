import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpRoutePath, isValidSessionId, parseHttpRoute, type ParsedHttpRoute } from './http-routes.js';

const session = 'abcdefghij0123456789';

describe('parseHttpRoute', () => {
  it.each([
    ['/app/key/sse', '', { key: 'key', route: 'sse-open' }],
    ['/app/key/sse/', '', { key: 'key', route: 'sse-open' }],
    ['/app/key/long-poll', '', { key: 'key', route: 'long-poll-open' }],
    [`/app/key/long-poll/${session}`, '', { key: 'key', route: 'long-poll', session }],
    [`/app/key/session/${session}/send`, '', { key: 'key', route: 'send', session }],
    [`/app/key/session/${session}/close`, '', { key: 'key', route: 'close', session }],
    [`/app/key/session/${session}/close/`, '', { key: 'key', route: 'close', session }],
    ['/tether/app/a%20b/sse', '/tether', { key: 'a b', route: 'sse-open' }],
  ])('%s (prefix %j)', (path, prefix, route) => {
    expect(parseHttpRoute(path, prefix)).toEqual(route);
  });

  it.each([
    ['/app/key', ''],
    ['/app/key/ws', ''],
    [`/app/key/sse/${session}`, ''],
    ['/app/key/long-poll/short', ''],
    [`/app/key/long-poll/${session}/send`, ''],
    [`/app/key/session/${session}`, ''],
    ['/app/key/session/send', ''],
    ['/app/key/session/close', ''],
    [`/app/key/long-poll/${session}/close`, ''],
    [`/app/key/sse/${session}/close`, ''],
    [`/app/key/session/${session}/closed`, ''],
    [`/app/key/session/${session}/close/send`, ''],
    [`/app/key/session/${'x'.repeat(129)}/send`, ''],
    [`/app/key/session/${'%'.repeat(20)}/send`, ''],
    ['/app/%E0%A4%A/sse', ''],
    ['/app//sse', ''],
    ['/app/key/sse', '/tether'],
    ['/other/app/key/sse', ''],
  ])('%s (prefix %j) → null', (path, prefix) => {
    expect(parseHttpRoute(path, prefix)).toBeNull();
  });

  it('round-trips every path it builds (property)', () => {
    const sessionId = fc.string({ unit: fc.constantFrom(...'aZ09_.-'), minLength: 16, maxLength: 128 });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        sessionId,
        fc.constantFrom('', '/tether'),
        (key, id, prefix) => {
          expect(parseHttpRoute(httpRoutePath.sseOpen(key, prefix), prefix)).toEqual({
            key,
            route: 'sse-open',
          });
          expect(parseHttpRoute(httpRoutePath.longPollOpen(key, prefix), prefix)).toEqual({
            key,
            route: 'long-poll-open',
          });
          expect(parseHttpRoute(httpRoutePath.longPoll(key, id, prefix), prefix)).toEqual({
            key,
            route: 'long-poll',
            session: id,
          });
          expect(parseHttpRoute(httpRoutePath.send(key, id, prefix), prefix)).toEqual({
            key,
            route: 'send',
            session: id,
          });
          expect(parseHttpRoute(httpRoutePath.close(key, id, prefix), prefix)).toEqual({
            key,
            route: 'close',
            session: id,
          });
        },
      ),
    );
  });

  it('reads poll paths exactly as the layout expression does (property)', () => {
    // The layout as one expression, the way every path was read before polls got their own reader.
    const layout = /^\/app\/([^/]+)\/(sse|long-poll|session)(?:\/([^/]+))?(?:\/(send|close))?\/?$/;
    const decoded = (part: string): string | null => {
      try {
        return decodeURIComponent(part);
      } catch {
        return null;
      }
    };
    const byExpression = (path: string): ParsedHttpRoute | null => {
      const match = layout.exec(path);
      if (!match) return null;
      const [, rawKey, kind, rawSession, action] = match;
      const key = decoded(rawKey!);
      if (!key) return null;
      const id = rawSession === undefined ? undefined : decoded(rawSession);
      if (id === null || (id !== undefined && !isValidSessionId(id))) return null;
      if (kind === 'sse' && id === undefined && !action) return { key, route: 'sse-open' };
      if (kind === 'long-poll' && !action)
        return id === undefined ? { key, route: 'long-poll-open' } : { key, route: 'long-poll', session: id };
      if (kind !== 'session' || id === undefined) return null;
      if (action === 'send' || action === 'close') return { key, route: action, session: id };
      return null;
    };
    const part = fc.oneof(
      fc.constantFrom('', 'app', 'long-poll', 'sse', 'session', 'send', 'close', '%', '%4', '%41', session),
      fc.string({ unit: fc.constantFrom(...'aZ09_.-%/') }),
    );
    const path = fc.array(part, { maxLength: 6 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(path, (value) => {
        expect(parseHttpRoute(value)).toEqual(byExpression(value));
        expect(parseHttpRoute(`/p${value}`, '/p')).toEqual(byExpression(value));
      }),
      { numRuns: 2_000 },
    );
    expect(parseHttpRoute(`/app/k%41/long-poll/${session}`)).toEqual({
      key: 'kA',
      route: 'long-poll',
      session,
    });
    expect(parseHttpRoute(`/app/%E0%A4%A/long-poll/${session}`)).toBeNull();
    expect(parseHttpRoute(`/app/key/long-poll/${session}/`)).toEqual({
      key: 'key',
      route: 'long-poll',
      session,
    });
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.webPath(), fc.json()),
        fc.string(),
        (path, prefix) => {
          const route = parseHttpRoute(path, prefix);
          if (route) expect(route.key.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('isValidSessionId', () => {
  it('takes 16–128 URL-safe characters', () => {
    expect(isValidSessionId('a'.repeat(16))).toBe(true);
    expect(isValidSessionId('a'.repeat(128))).toBe(true);
    expect(isValidSessionId('a'.repeat(15))).toBe(false);
    expect(isValidSessionId('a'.repeat(129))).toBe(false);
    expect(isValidSessionId(`${'a'.repeat(16)}/`)).toBe(false);
    expect(isValidSessionId(16)).toBe(false);
  });
});
