import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appDefaults, httpFallbackDefaults, tetherServerDefaults, webhookDefaults } from '@tether/server';
import { CLI_USAGE, cliDefaults } from '../src/cli-options.js';

// The README's option tables must say what the code does: every default it lists is checked here
// against the `…Defaults` object it names, and every key of those objects must be listed.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The table rows under a heading, as arrays of trimmed cells (header and separator rows dropped). */
function tableUnder(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no heading ${heading}`);
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .slice(1)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

/** The first token of a default cell, without backticks: "`25000`" → "25000". */
const firstToken = (cell: string): string => (cell.split(/\s+/)[0] ?? '').replace(/`/g, '');

function shown(value: unknown): string {
  if (value === '') return "''";
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

function expectDefaults(heading: string, defaults: Record<string, unknown>): void {
  const rows = new Map(tableUnder(heading).map((cells) => [cells[0]!.replace(/`/g, ''), cells[1] ?? '']));
  for (const [key, value] of Object.entries(defaults)) {
    expect(rows.has(key), `${heading} lists ${key}`).toBe(true);
    expect(firstToken(rows.get(key)!), `${heading} ${key}`).toBe(shown(value));
  }
}

describe('packages/server/README.md', () => {
  it('lists every tetherServerDefaults value under Options', () => {
    expectDefaults('## Options', tetherServerDefaults);
  });

  it('lists every appDefaults value under Per-app options', () => {
    expectDefaults('### Per-app options', appDefaults);
  });

  it('lists every httpFallbackDefaults value under HTTP fallbacks', () => {
    expectDefaults('### HTTP fallbacks', httpFallbackDefaults);
  });

  it('lists every webhookDefaults value under Webhooks', () => {
    expectDefaults('### Webhooks', webhookDefaults);
  });

  it('lists every CLI flag with its environment variable and default', () => {
    const rows = new Map(
      tableUnder('## Standalone: `tether-server`').map((cells) => [firstToken(cells[0]!), cells]),
    );
    const flags = {
      port: '--port',
      host: '--host',
      appId: '--app-id',
      appKey: '--app-key',
      appSecret: '--app-secret',
      clientEvents: '--client-events',
      activityTimeoutSeconds: '--activity-timeout',
      drainMs: '--drain-ms',
    } as const satisfies Record<keyof typeof cliDefaults, string>;
    for (const [key, flag] of Object.entries(flags) as [keyof typeof cliDefaults, string][]) {
      const cells = rows.get(flag);
      expect(cells, `README lists ${flag}`).toBeDefined();
      expect(cells![1]).toBe(`\`TETHER_${flag.slice(2).toUpperCase().replace(/-/g, '_')}\``);
      const value = cliDefaults[key];
      expect(firstToken(cells![2]!)).toBe(
        typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value),
      );
    }
    // Every flag the CLI's usage text names has a row, with its TETHER_* variable.
    for (const [, flag] of CLI_USAGE.matchAll(/^\s+(--[a-z-]+)/gm)) {
      if (flag === '--help') continue;
      expect(rows.get(flag!)?.[1], `README lists ${flag}`).toBe(
        `\`TETHER_${flag!.slice(2).toUpperCase().replace(/-/g, '_')}\``,
      );
    }
  });
});
