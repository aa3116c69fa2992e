import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODE_INFO, CloseCode, closeAction, closeCodeInfo } from '../src/index.js';

/** docs/protocol.md is the wire document conformance tests cite; its close-code tables must match the code. */
const doc = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8');

function section(name: string): string {
  const start = doc.indexOf(`<!-- ${name}:start`);
  const end = doc.indexOf(`<!-- ${name}:end -->`);
  expect(start, `marker ${name}:start`).toBeGreaterThanOrEqual(0);
  expect(end, `marker ${name}:end`).toBeGreaterThan(start);
  return doc.slice(start, end);
}

/** Table body rows (header and separator dropped), each split into trimmed cells. */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

const constantName = Object.fromEntries(
  Object.entries(CloseCode).map(([name, code]) => [code, name]),
) as Record<number, string>;

describe('docs/protocol.md close-code table', () => {
  const table = rows(section('close-codes'));

  it('lists every CloseCode exactly once, in order', () => {
    const codes = table.map(([code]) => Number(code));
    const known = Object.keys(CLOSE_CODE_INFO).map(Number);
    expect(codes).toEqual(known);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort((a, b) => a - b)).toEqual(
      [...new Set<number>(Object.values(CloseCode))].sort((a, b) => a - b),
    );
  });

  it.each(table.map((cells) => [cells[0] ?? '', cells] as const))(
    'row %s agrees with CLOSE_CODE_INFO and closeAction',
    (_code, cells) => {
      const [code, constant, name, action, meaning] = cells;
      const number = Number(code);
      const info = closeCodeInfo(number);
      expect(info).toBeDefined();
      expect(constant).toBe(`\`${constantName[number]}\``);
      expect(name).toBe(info?.name);
      expect(action).toBe(closeAction(number));
      expect(meaning).toBe(info?.description);
    },
  );

  it('documents both Tether extensions', () => {
    expect(table.find(([code]) => code === String(CloseCode.SlowConsumer))?.[3]).toBe('backoff');
    expect(table.find(([code]) => code === String(CloseCode.SessionNotFound))?.[3]).toBe('retry');
  });
});

describe('docs/protocol.md close-code ranges', () => {
  const ranges = rows(section('close-ranges'));

  it('covers 1000–4999 without gaps or overlaps', () => {
    let next = 1000;
    for (const [range] of ranges) {
      const [from, to] = (range ?? '').split('–').map(Number);
      expect(from).toBe(next);
      expect(to).toBeGreaterThanOrEqual(from ?? 0);
      next = (to ?? 0) + 1;
    }
    expect(next).toBe(5000);
  });

  it.each(ranges.map((cells) => [cells[0] ?? '', cells[1] ?? ''] as const))(
    '%s → %s, for every code in it',
    (range, action) => {
      const [from = 0, to = 0] = range.split('–').map(Number);
      for (let code = from; code <= to; code += 1) expect([code, closeAction(code)]).toEqual([code, action]);
    },
  );
});
