import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const README_MARKERS = {
  start: '<!-- latest-results:start -->',
  end: '<!-- latest-results:end -->',
} as const;

/**
 * Puts `markdown` between the README's latest-results markers (headings pushed down one level);
 * false when the README or its markers are missing.
 */
export function updateReadme(path: string, markdown: string): boolean {
  if (!existsSync(path)) return false;
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) return false;
  const body = markdown.replace(/^(#+) /gm, '#$1 ').trim();
  writeFileSync(
    path,
    `${readme.slice(0, start + README_MARKERS.start.length)}\n${body}\n${readme.slice(end)}`,
  );
  return true;
}
