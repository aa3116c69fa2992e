import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_MARKERS, updateReadme } from './update-readme.js';

const file = (text: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'bench-readme-')), 'README.md');
  writeFileSync(path, text);
  return path;
};

describe('updateReadme', () => {
  it('replaces what is between the markers, one heading level down, and keeps the rest', () => {
    const path = file(`# Bench\n\nintro\n${README_MARKERS.start}\nold\n${README_MARKERS.end}\n\nafter\n`);
    expect(updateReadme(path, '# Run\n\n## Table\n| a |\n')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(
      `# Bench\n\nintro\n${README_MARKERS.start}\n## Run\n\n### Table\n| a |\n${README_MARKERS.end}\n\nafter\n`,
    );
  });

  it('leaves a README without markers alone', () => {
    const path = file('# Bench\n');
    expect(updateReadme(path, '# Run')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('# Bench\n');
  });
});
