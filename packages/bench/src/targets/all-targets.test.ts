import { describe, expect, it } from 'vitest';
import { baselineTargets } from './baseline-targets.js';
import { allTargets, findTarget } from './all-targets.js';
import { tetherTargets } from './tether-targets.js';

describe('allTargets', () => {
  it('runs every target once', () => {
    const ids = allTargets.map((spec) => spec.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...baselineTargets, ...tetherTargets].map((spec) => spec.id).sort());
  });

  it('compares Tether only with baselines that run, and runs a Tether target after its first baseline', () => {
    const ids = allTargets.map((spec) => spec.id);
    for (const spec of tetherTargets) {
      for (const baseline of spec.compareWith) expect(ids).toContain(baseline);
      const first = spec.compareWith[0];
      expect(first).toBeDefined();
      expect(ids.indexOf(spec.id)).toBeGreaterThan(ids.indexOf(first ?? ''));
    }
  });

  it('runs the cluster target right after the single node it measures the cost of scale-out against', () => {
    const ids = allTargets.map((spec) => spec.id);
    const cluster = findTarget('tether-ws-cluster');
    const single = findTarget('tether-ws-http-api');
    expect(cluster?.topology).toBe('redis-pair');
    expect(cluster?.compareWith).toEqual(['tether-ws-http-api']);
    expect(ids.indexOf('tether-ws-cluster')).toBe(ids.indexOf('tether-ws-http-api') + 1);
    // Same entry and the same load: the only difference is the second node and Redis between them.
    expect(cluster?.entry).toBe(single?.entry);
    expect(cluster?.args).toEqual(single?.args);
    expect(cluster?.load).toEqual(single?.load);
  });

  it('runs corked-ws-http, the same server as corked-ws publishing over HTTP, right before tether-ws-http-api', () => {
    const ids = allTargets.map((spec) => spec.id);
    const corked = findTarget('corked-ws');
    const corkedHttp = findTarget('corked-ws-http');
    const httpApi = findTarget('tether-ws-http-api');
    expect(ids.indexOf('corked-ws-http')).toBe(ids.indexOf('tether-ws-http-api') - 1);
    expect(httpApi?.compareWith[0]).toBe('corked-ws-http');
    expect(httpApi?.compareWith).toContain('corked-ws');
    // Same subscribers on the same corked server; only the way a message arrives differs.
    expect(corkedHttp?.load.subscriber).toEqual(corked?.load.subscriber);
    expect(corkedHttp?.load.publisher).toEqual({ kind: 'raw-http' });
    expect(corkedHttp?.transport).toBe('websocket');
  });

  it('needs Redis only for cluster targets', () => {
    const clustered = allTargets.filter((spec) => spec.topology === 'redis-pair').map((spec) => spec.id);
    expect(clustered).toEqual(['tether-ws-cluster']);
  });
});
