import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAllChildren, BENCH_ROOT } from '../process/bench-child.js';
import type { BenchReport } from '../report/bench-result.js';
import { ensureTetherBundle, measureBundles } from '../report/bundle-sizes.js';
import { describeEnvironment, oneMinuteLoad } from '../report/environment.js';
import { evaluateGoals } from '../report/goals.js';
import { computeRatios } from '../report/ratios.js';
import { checkRedis } from '../redis/cluster-redis.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { updateReadme } from '../report/update-readme.js';
import { runBench } from '../scenarios/run-bench.js';
import { shouldPin } from '../scenarios/bench-rig.js';
import { allTargets } from '../targets/all-targets.js';
import { payloadDefaults } from '../wire/bench-payload.js';
import type { CliArgs } from './cli-args.js';

export const RESULTS_DIR = join(BENCH_ROOT, 'results');
const LATEST = 'latest';

/** Whole-run bound: every child has its own lifetime; this one ends the orchestrator should it hang. */
const runDeadlineMs = (args: CliArgs, targets: number): number =>
  args.options.childLifetimeMs * targets * args.options.subscriberCounts.length;

/** Runs the bench the arguments ask for and writes `results/<out>.md` and `.json`. */
export async function runBenchCommand(
  args: CliArgs,
  log: (line: string) => void,
): Promise<{ markdown: string; json: string }> {
  const unknown = args.only.filter((id) => !allTargets.some((spec) => spec.id === id));
  if (unknown.length > 0)
    throw new Error(
      `unknown target ${unknown.join(', ')}; targets: ${allTargets.map((spec) => spec.id).join(', ')}`,
    );
  const targets =
    args.only.length === 0 ? allTargets : allTargets.filter((spec) => args.only.includes(spec.id));
  // A cluster target without Redis fails the whole command before anything runs; it is never skipped.
  if (targets.some((spec) => spec.topology === 'redis-pair')) await checkRedis(args.options.redisUrl);

  const bundleNote = ensureTetherBundle(log);
  const started = new Date();
  const environment = describeEnvironment({
    pinned: shouldPin(args.options),
    note: args.note,
    date: started,
  });
  log(
    `bench (${args.options.mode}): ${targets.length} targets × N = ${args.options.subscriberCounts.join(', ')}; ${environment.cpuModel}, ${environment.nproc} cores, node ${environment.node}`,
  );

  const deadline = setTimeout(
    () => {
      log('bench: run deadline reached; killing children');
      killAllChildren();
      process.exit(2);
    },
    runDeadlineMs(args, targets.length),
  );
  deadline.unref();
  const runs = await runBench({ targets, options: args.options, log });
  clearTimeout(deadline);

  const ratios = computeRatios(targets, runs);
  const bundles = measureBundles(
    undefined,
    bundleNote === undefined ? new Map() : new Map([['@tether/client', bundleNote]]),
  );
  const report: BenchReport = {
    mode: args.options.mode,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: { ...environment, loadAverageAtEnd: oneMinuteLoad() },
    options: { ...args.options, frameBytes: payloadDefaults.frameBytes },
    runs,
    ratios,
    goals: evaluateGoals(runs, ratios, bundles),
    bundles,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const markdown = join(RESULTS_DIR, `${args.out}.md`);
  const json = join(RESULTS_DIR, `${args.out}.json`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const rendered = renderMarkdown(report);
  writeFileSync(markdown, `${rendered}\n`);
  // The README carries the table of the last full run of every target.
  if (args.out === LATEST && report.mode === 'full') updateReadme(join(BENCH_ROOT, 'README.md'), rendered);
  for (const goal of report.goals)
    log(`goal ${goal.met === null ? '?' : goal.met ? 'met' : 'MISSED'}: ${goal.description}: ${goal.detail}`);
  return { markdown, json };
}
