import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDefaults, quickBenchDefaults, type BenchOptions } from '../bench-options.js';

/** What the command line asks of a run. */
export interface CliArgs {
  options: BenchOptions;
  /** Target ids to run; empty = all. */
  only: string[];
  /** Results file name (without extension) under `results/`. */
  out: string;
  /** Free text recorded with the machine (e.g. "other jobs were using the CPU"). */
  note: string | undefined;
  help: boolean;
}

export const CLI_USAGE =
  `pnpm bench [--quick] [--only id,id] [--subscribers 100,1000] [--out name] [--note text] [--no-pin] [--cpu-prof dir] [--redis-url url]

  --quick         about a minute: one subscriber count, short windows (writes results/quick.*)
  --only          run only these target ids (writes results/partial.* unless --out is given)
  --subscribers   subscriber counts to run instead of the mode's
  --out           results file name under packages/bench/results (default: latest, quick or partial)
  --note          recorded with the machine in the report
  --no-pin        do not pin the server and the generator to CPUs with taskset
  --cpu-prof dir  write a V8 CPU profile (.cpuprofile) of every server process into dir
  --redis-url     the Redis the cluster target's two nodes share (default redis://127.0.0.1:6379);
                  the bench fails if it is unreachable while that target is selected` as const;

const list = (value: string | undefined): string[] =>
  value === undefined
    ? []
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);

/** Parses `argv` (after the script); throws with a usage hint on anything unknown. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values } = parseArgs({
    args: [...argv].filter((arg) => arg !== '--'),
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      subscribers: { type: 'string' },
      out: { type: 'string' },
      note: { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'redis-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const base: BenchOptions = values.quick ? quickBenchDefaults : benchDefaults;
  const counts = list(values.subscribers).map(Number);
  if (counts.some((count) => !Number.isInteger(count) || count <= 0))
    throw new Error(`--subscribers takes positive integers, got ${values.subscribers ?? ''}`);
  const only = list(values.only);
  const options: BenchOptions = {
    ...base,
    ...(counts.length > 0 ? { subscriberCounts: counts } : {}),
    pin: base.pin && !values['no-pin'],
    ...(values['cpu-prof'] !== undefined ? { cpuProfileDir: resolve(values['cpu-prof']) } : {}),
    ...(values['redis-url'] !== undefined ? { redisUrl: values['redis-url'] } : {}),
  };
  const partial = only.length > 0 || counts.length > 0;
  return {
    options,
    only,
    out: values.out ?? (partial ? 'partial' : values.quick ? 'quick' : 'latest'),
    note: values.note,
    help: values.help,
  };
}
