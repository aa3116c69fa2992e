/** Publish-to-receipt latencies (ms), kept up to a fixed count; percentiles by sorting a copy. */
export interface LatencySummary {
  samples: number;
  /** Samples that did not fit and were not kept. */
  dropped: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencyRecorder {
  private readonly values: Float64Array;
  private count = 0;
  private overflow = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (this.count < this.values.length) this.values[this.count++] = ms;
    else this.overflow += 1;
  }

  reset(): void {
    this.count = 0;
    this.overflow = 0;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.count).sort();
    return {
      samples: this.count,
      dropped: this.overflow,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: this.count === 0 ? Number.NaN : (sorted[this.count - 1] ?? Number.NaN),
    };
  }
}

/** Nearest-rank percentile of ascending values; NaN when empty. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}
