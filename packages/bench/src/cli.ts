/**
 * `pnpm bench` / `pnpm bench:quick`: every target at every subscriber count, one rig at a time, then
 * the report (markdown + JSON under results/). Exits by itself: each child has a lifetime bound and
 * is killed on exit, on SIGINT/SIGTERM and when the whole run overruns its deadline.
 */
import { killAllChildren } from './process/bench-child.js';
import { CLI_USAGE, parseCliArgs } from './cli/cli-args.js';
import { runBenchCommand } from './cli/run-bench-command.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    log(`bench: ${signal}, children killed`);
    process.exit(130);
  });
}

try {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    log(CLI_USAGE);
  } else {
    const written = await runBenchCommand(args, log);
    log(`bench: wrote ${written.markdown} and ${written.json}`);
  }
} catch (error) {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  log(CLI_USAGE);
  killAllChildren();
  process.exitCode = 1;
}
