#!/usr/bin/env node
// The two README commands. `npm start` / `npm test` in a fresh clone need only Node 20 and npm:
// this script finds or installs pnpm 10, installs the workspace, then does the job.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const localPnpm = join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    console.error(`\n✖ ${[cmd, ...args].join(' ')} exited with ${status}`);
    process.exit(status);
  }
}

/** pnpm 10 on PATH, or a private copy under .tools/ installed with npm (corepack is not relied on). */
function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('10.')) return { cmd: 'pnpm', pre: [] };
  if (!existsSync(localPnpm)) {
    console.log('› installing pnpm 10 into .tools/ (no global install)');
    mkdirSync(toolsDir, { recursive: true });
    must('npm', [
      'install',
      '--prefix',
      toolsDir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      'pnpm@10',
    ]);
  }
  // Children (tests that run `pnpm tether-server`, pnpm's own scripts) find the private copy on PATH too.
  process.env.PATH = [join(toolsDir, 'node_modules', '.bin'), process.env.PATH]
    .filter(Boolean)
    .join(delimiter);
  return { cmd: process.execPath, pre: [localPnpm] };
}

const pnpm = pnpmCommand();
const pn = (...args) => must(pnpm.cmd, [...pnpm.pre, ...args]);

function installWorkspace() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const fresh = !existsSync(marker);
  if (fresh) console.log('› installing workspace dependencies');
  pn('install', '--frozen-lockfile', '--prefer-offline', ...(fresh ? [] : ['--reporter=silent']));
}

function summarizeVitest(file) {
  if (!existsSync(file)) return 1;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(
    `\nvitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
  );
  return report.numFailedTests === 0 && report.numTotalTests > 0 && report.success ? 0 : 1;
}

const command = process.argv[2] ?? 'test';
const extra = process.argv.slice(3);
installWorkspace();

switch (command) {
  case 'setup':
    break;
  case 'test': {
    must(process.execPath, [join(root, 'scripts', 'ensure-system.mjs')]);
    pn('run', 'typecheck');
    pn('run', 'lint');
    const report = join(root, 'node_modules', '.cache', 'vitest-report.json');
    mkdirSync(dirname(report), { recursive: true });
    const status = run(pnpm.cmd, [
      ...pnpm.pre,
      'exec',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...extra,
    ]);
    const summary = summarizeVitest(report);
    process.exit(status !== 0 ? status : summary);
    break;
  }
  case 'start':
    pn('run', 'build');
    pn('--filter', '@tether/example-chat', 'start', ...extra);
    break;
  case 'chat:broken-proxy':
    pn('--filter', '@tether/client', 'run', 'build');
    pn('--filter', '@tether/example-chat', 'chat:broken-proxy', ...extra);
    break;
  default:
    console.error(`unknown command "${command}": use start, test, setup or chat:broken-proxy`);
    process.exit(2);
}
