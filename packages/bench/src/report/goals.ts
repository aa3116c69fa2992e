import type { BundleSize, Goal, Ratio, TargetRun } from './bench-result.js';
import { findRun } from './ratios.js';

/** The targets of issue 7, as ratios within one run. */
export const goalDefaults = {
  wsFanOutVsCorked: 0.8,
  wsFanOutVsNaive: 1,
  maxRssBytesPerConnection: 11.5 * 1024,
  maxHeapBytesPerConnection: 4 * 1024,
  connectVsRawWs: 0.8,
  sseFanOutVsRaw: 0.8,
  longPollFanOutVsRaw: 0.7,
  longPollCpuVsRaw: 1.1,
} as const;

const TETHER_WS = ['tether-ws-client-events', 'tether-ws-http-api'] as const;
/**
 * Each Tether WebSocket target beside the corked baseline that publishes the same way: a ws frame per
 * message, or an HTTP request per message (which costs far more than the fan-out at small N).
 */
const TETHER_WS_VS_CORKED = [
  { target: 'tether-ws-client-events', baseline: 'corked-ws' },
  { target: 'tether-ws-http-api', baseline: 'corked-ws-http' },
] as const;
/** The WebSocket target whose memory and connection rate are held to the targets. */
const TETHER_WS_PRIMARY = 'tether-ws-client-events';
const KB = 1024;

type RatioField = Exclude<keyof Ratio, 'target' | 'baseline' | 'subscribers'>;

const fmt = (value: number): string => value.toFixed(2);

/** Every ratio of `field` for these pairs must satisfy `ok`; null when there is none. */
function ratioGoal(
  description: string,
  ratios: readonly Ratio[],
  pairs: readonly { target: string; baseline: string }[],
  field: RatioField,
  ok: (value: number) => boolean,
): Goal {
  const found = ratios.filter((ratio) =>
    pairs.some((pair) => pair.target === ratio.target && pair.baseline === ratio.baseline),
  );
  const values = found.flatMap((ratio) => {
    const value = ratio[field];
    return value === undefined ? [] : [{ ratio, value }];
  });
  if (values.length === 0) return { description, met: null, detail: 'no figures in this run' };
  const perCpu = (ratio: Ratio): string =>
    field === 'deliveredPerSecond' && ratio.deliveredPerServerCpuSecond !== undefined
      ? ` (per server CPU-s ${fmt(ratio.deliveredPerServerCpuSecond)}×)`
      : '';
  const detail = values
    .map(
      ({ ratio, value }) =>
        `${ratio.target} N=${ratio.subscribers}: ${fmt(value)}×${ok(value) ? '' : ' ✗'}${perCpu(ratio)}`,
    )
    .join('; ');
  const complete = values.length === found.length;
  return {
    description,
    met: values.every(({ value }) => ok(value)) ? (complete ? true : null) : false,
    detail,
  };
}

/** The primary Tether WebSocket run with the most subscribers: the idle-connection figures. */
function largestRun(runs: readonly TargetRun[], target: string): TargetRun | undefined {
  return runs
    .filter((run) => run.target === target && run.memory !== undefined)
    .sort((a, b) => b.subscribers - a.subscribers)[0];
}

function memoryGoal(
  description: string,
  run: TargetRun | undefined,
  pick: (run: TargetRun) => number | undefined,
  max: number,
): Goal {
  const value = run ? pick(run) : undefined;
  if (!run || value === undefined) return { description, met: null, detail: 'no figures in this run' };
  return {
    description,
    met: value <= max,
    detail: `${run.target} N=${run.subscribers}: ${fmt(value / KB)} KB per connection`,
  };
}

function deliveryGoal(runs: readonly TargetRun[]): Goal {
  const description = 'Zero undelivered messages and zero disconnects (Tether)';
  const tether = runs.filter((run) => run.family === 'tether');
  if (tether.length === 0) return { description, met: null, detail: 'no Tether run' };
  const bad = tether.filter(
    (run) => !run.delivery || run.delivery.undelivered > 0 || run.delivery.disconnects > 0,
  );
  const detail =
    bad.length === 0
      ? `${tether.length} runs clean`
      : bad
          .map((run) =>
            run.delivery
              ? `${run.target} N=${run.subscribers}: ${run.delivery.undelivered} undelivered, ${run.delivery.disconnects} disconnects`
              : `${run.target} N=${run.subscribers}: did not finish`,
          )
          .join('; ');
  return { description, met: bad.length === 0, detail };
}

function bundleGoal(bundles: readonly BundleSize[]): Goal {
  const description = 'Client browser bundle (gzip) smaller than pusher-js';
  const tether = bundles.find((bundle) => bundle.name.startsWith('@tether/client'));
  const pusher = bundles.find((bundle) => bundle.name.startsWith('pusher-js'));
  if (tether?.gzipBytes === undefined || pusher?.gzipBytes === undefined) {
    return {
      description,
      met: null,
      detail: `missing: ${[tether, pusher].map((b) => `${b?.name ?? '?'} ${b?.note ?? ''}`).join(', ')}`,
    };
  }
  return {
    description,
    met: tether.gzipBytes < pusher.gzipBytes,
    detail: `${fmt(tether.gzipBytes / KB)} KB vs ${fmt(pusher.gzipBytes / KB)} KB (${fmt(tether.gzipBytes / pusher.gzipBytes)}×)`,
  };
}

/** Each target of issue 7: met, missed, or undecided (null) for want of figures. */
export function evaluateGoals(
  runs: readonly TargetRun[],
  ratios: readonly Ratio[],
  bundles: readonly BundleSize[],
): Goal[] {
  const ws = (baseline: string) => TETHER_WS.map((target) => ({ target, baseline }));
  const primary = largestRun(runs, TETHER_WS_PRIMARY);
  const rawWs = primary ? findRun(runs, 'naive-ws', primary.subscribers) : undefined;
  const connectRatio =
    primary?.connect && rawWs?.connect ? primary.connect.perSecond / rawWs.connect.perSecond : undefined;
  return [
    ratioGoal(
      `WebSocket fan-out ≥ ${goalDefaults.wsFanOutVsCorked}× corked ws publishing the same way (client events vs corked-ws, HTTP API vs corked-ws-http)`,
      ratios,
      TETHER_WS_VS_CORKED,
      'deliveredPerSecond',
      (v) => v >= goalDefaults.wsFanOutVsCorked,
    ),
    ratioGoal(
      `WebSocket fan-out ≥ ${goalDefaults.wsFanOutVsNaive}× naive ws`,
      ratios,
      ws('naive-ws'),
      'deliveredPerSecond',
      (v) => v >= goalDefaults.wsFanOutVsNaive,
    ),
    memoryGoal(
      `≤ ${goalDefaults.maxRssBytesPerConnection / KB} KB RSS per idle subscribed WebSocket`,
      primary,
      (run) => run.memory?.rssBytesPerConnection,
      goalDefaults.maxRssBytesPerConnection,
    ),
    memoryGoal(
      `≤ ${goalDefaults.maxHeapBytesPerConnection / KB} KB V8 heap per idle subscribed WebSocket`,
      primary,
      (run) => run.memory?.heapBytesPerConnection,
      goalDefaults.maxHeapBytesPerConnection,
    ),
    connectRatio === undefined
      ? {
          description: `Connection setup ≥ ${goalDefaults.connectVsRawWs}× raw ws`,
          met: null,
          detail: 'no figures in this run',
        }
      : {
          description: `Connection setup ≥ ${goalDefaults.connectVsRawWs}× raw ws`,
          met: connectRatio >= goalDefaults.connectVsRawWs,
          detail: `${TETHER_WS_PRIMARY} vs naive-ws, N=${primary?.subscribers ?? '?'}: ${fmt(connectRatio)}×`,
        },
    ratioGoal(
      `SSE fan-out ≥ ${goalDefaults.sseFanOutVsRaw}× raw SSE`,
      ratios,
      [{ target: 'tether-sse', baseline: 'raw-sse' }],
      'deliveredPerSecond',
      (v) => v >= goalDefaults.sseFanOutVsRaw,
    ),
    ratioGoal(
      `Long-poll fan-out ≥ ${goalDefaults.longPollFanOutVsRaw}× raw long-poll`,
      ratios,
      [{ target: 'tether-long-poll', baseline: 'raw-long-poll' }],
      'deliveredPerSecond',
      (v) => v >= goalDefaults.longPollFanOutVsRaw,
    ),
    ratioGoal(
      `Long-poll server CPU ≤ ${goalDefaults.longPollCpuVsRaw}× raw long-poll at the fixed rate`,
      ratios,
      [{ target: 'tether-long-poll', baseline: 'raw-long-poll' }],
      'serverCpuAtFixedRate',
      (v) => v <= goalDefaults.longPollCpuVsRaw,
    ),
    deliveryGoal(runs),
    bundleGoal(bundles),
  ];
}
