import { readFileSync } from 'node:fs';
import { connectionDefaults, tetherDefaults } from '@tether/client';
import { describe, expect, it } from 'vitest';

/** The README's options table states every default; this keeps it true when a default changes. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

/** option name → the default the table gives it, from rows like "| `a` / `b` | `1` / `2` | … |". */
function documentedDefaults(): Map<string, string> {
  const documented = new Map<string, string>();
  for (const line of readme.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [names = '', values = ''] = line.split('|').slice(1, 3);
    const keys = backticked(names);
    const defaults = backticked(values);
    keys.forEach((key, i) => {
      const value = defaults.length === 1 ? defaults[0] : defaults[i];
      if (value !== undefined) documented.set(key, value);
    });
  }
  return documented;
}

const lives = connectionDefaults.lives;
const expected: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(connectionDefaults)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .map(([key, value]) => [key, String(value)]),
  ),
  path: `'${connectionDefaults.path}'`,
  lives: `{ websocket: ${lives.websocket}, sse: ${lives.sse}, 'long-poll': ${lives['long-poll']} }`,
  'channelAuthorization.endpoint': tetherDefaults.channelAuthorizationEndpoint,
  'userAuthentication.endpoint': tetherDefaults.userAuthenticationEndpoint,
  clientEventQueueSize: String(tetherDefaults.clientEventQueueSize),
  autoConnect: String(tetherDefaults.autoConnect),
};

describe('README options table', () => {
  it('documents every default of connectionDefaults and tetherDefaults with its current value', () => {
    const documented = documentedDefaults();
    const keys = Object.keys(expected);
    expect(keys.length).toBeGreaterThanOrEqual(30);
    expect(Object.fromEntries(keys.map((key) => [key, documented.get(key)]))).toEqual(expected);
  });
});
