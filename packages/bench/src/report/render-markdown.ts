import type { BenchReport, Goal, Ratio, TargetRun } from './bench-result.js';

const KB = 1024;

const num = (value: number | undefined, digits = 0): string => {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
const times = (value: number | undefined): string => (value === undefined ? '–' : `${num(value, 2)}×`);
const kb = (bytes: number | undefined): string => (bytes === undefined ? '–' : num(bytes / KB, 1));

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const goalMark = (goal: Goal): string => (goal.met === null ? '?' : goal.met ? 'met' : '**missed**');

function runRow(run: TargetRun): string[] {
  const subscribed = run.connect ? `${run.connect.opened}/${run.connect.requested}` : '–';
  return [
    run.target,
    run.transport,
    subscribed,
    num(run.connect?.perSecond),
    kb(run.memory?.rssBytesPerConnection),
    kb(run.memory?.heapBytesPerConnection),
    num(run.throughput?.deliveredPerSecond),
    num(run.throughput?.serverCpuPercent),
    num(run.throughput?.generatorCpuPercent),
    num(run.throughput?.deliveredPerServerCpuSecond),
    num(run.latency?.deliveredPerSecond),
    num(run.latency?.p50Ms, 2),
    num(run.latency?.p99Ms, 2),
    num(run.latency?.serverCpuPercent),
    num(run.delivery?.undelivered),
    num(run.delivery?.disconnects),
  ];
}

const RUN_HEAD = [
  'target',
  'transport',
  'subscribed',
  'conn/s',
  'RSS KB/conn',
  'heap KB/conn',
  'fan-out msg/s',
  'server CPU %',
  'generator CPU %',
  'msg per server CPU-s',
  'fixed-rate msg/s',
  'p50 ms',
  'p99 ms',
  'server CPU % at fixed rate',
  'undelivered',
  'disconnects',
] as const;

const ratioRow = (ratio: Ratio): string[] => [
  ratio.target,
  ratio.baseline,
  String(ratio.subscribers),
  times(ratio.deliveredPerSecond),
  times(ratio.deliveredPerServerCpuSecond),
  times(ratio.connectionsPerSecond),
  times(ratio.p50Ms),
  times(ratio.p99Ms),
  times(ratio.serverCpuAtFixedRate),
  times(ratio.rssPerConnection),
  times(ratio.heapPerConnection),
];

/** The whole report as markdown: machine, goals, figures per subscriber count, ratios, bundles, errors. */
export function renderMarkdown(report: BenchReport): string {
  const env = report.environment;
  const counts = [...new Set(report.runs.map((run) => run.subscribers))];
  const out: string[] = [];
  out.push(`# Tether benchmark (${report.mode})`, '');
  out.push(
    `- Date: ${env.date} (run took ${num((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000)} s)`,
    `- Machine: ${env.cpuModel}, ${env.nproc} cores, ${env.platform}, open files ${env.openFilesLimit}`,
    `- Node ${env.node}; server and generator ${env.pinned ? 'pinned to separate cores with taskset' : 'not pinned'}; loopback`,
    `- 1-min load average at start / end: ${num(env.loadAverageAtStart, 2)} / ${num(env.loadAverageAtEnd, 2)}`,
  );
  if (env.note !== undefined) out.push(`- Note: ${env.note}`);
  out.push(
    `- Messages: ${report.options.frameBytes} B frames; fan-out window ${num(report.options.throughputWindowMs)} ms at saturation; latency at ${num(report.options.latencyDeliveriesPerSecond)} deliveries/s over ${num(report.options.latencyWindowMs)} ms`,
  );
  const clustered = [...new Set(report.runs.filter((run) => run.cluster).map((run) => run.target))];
  if (clustered.length > 0)
    out.push(
      `- Cluster targets (${clustered.join(', ')}): two Tether processes sharing Redis, subscribers on node B, the publisher on node A, both nodes pinned to the server CPU, so every message crosses Redis pub/sub. Server CPU is the sum of both nodes; memory is node B’s`,
    );
  out.push('');
  out.push(
    '## Targets (issue 7)',
    '',
    table(
      ['target', 'result', 'figures'],
      report.goals.map((goal) => [goal.description, goalMark(goal), goal.detail]),
    ),
    '',
  );
  for (const count of counts) {
    out.push(`## ${num(count)} subscribers on one channel`, '');
    out.push(table(RUN_HEAD, report.runs.filter((run) => run.subscribers === count).map(runRow)), '');
  }
  out.push(
    '## Ratios within this run (Tether / baseline)',
    '',
    'Fan-out, fan-out per server CPU-second and conn/s: higher is better. Latency, CPU and memory: lower is better.',
    '',
    table(
      [
        'Tether',
        'baseline',
        'N',
        'fan-out',
        'fan-out per CPU-s',
        'conn/s',
        'p50',
        'p99',
        'CPU at fixed rate',
        'RSS/conn',
        'heap/conn',
      ],
      report.ratios.map(ratioRow),
    ),
    '',
  );
  out.push(
    '## Browser bundle size',
    '',
    table(
      ['package', 'file', 'minified KB', 'gzip KB'],
      report.bundles.map((bundle) => [
        bundle.name,
        bundle.note === undefined ? bundle.path : `${bundle.path} (${bundle.note})`,
        kb(bundle.rawBytes),
        kb(bundle.gzipBytes),
      ]),
    ),
    '',
  );
  const errors = report.runs.filter((run) => run.errors.length > 0);
  if (errors.length > 0) {
    out.push('## Errors and notes', '');
    for (const run of errors) out.push(`- ${run.target} N=${run.subscribers}: ${run.errors.join('; ')}`);
    out.push('');
  }
  return out.join('\n');
}
