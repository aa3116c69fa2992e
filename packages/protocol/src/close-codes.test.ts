import { describe, expect, it } from 'vitest';
import {
  CLOSE_CODE_INFO,
  CloseAction,
  CloseCode,
  closeAction,
  closeCodeInfo,
  describeClose,
  isErrorClose,
  type CloseAction as CloseActionValue,
} from './close-codes.js';

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Spec §4.2, written out independently of the implementation. */
const expectedRanges: [string, number[], CloseActionValue][] = [
  ['1000 normal', [1000], CloseAction.None],
  ['1001 going away', [1001], CloseAction.None],
  ['1002–1004', range(1002, 1004), CloseAction.Backoff],
  ['1005–1015', range(1005, 1015), CloseAction.None],
  ['below 1000', [0, 1, 999], CloseAction.None],
  ['1016–2999', [1016, 2000, 2999], CloseAction.None],
  ['3000s (library codes)', range(3000, 3999), CloseAction.None],
  ['4000', [4000], CloseAction.TlsOnly],
  ['4001–4099', range(4001, 4099), CloseAction.Refused],
  ['4100–4199', range(4100, 4199), CloseAction.Backoff],
  ['4200–4299', range(4200, 4299), CloseAction.Retry],
  ['4300 and above', [...range(4300, 4999), 5000, 65_535], CloseAction.Refused],
];

describe('closeAction', () => {
  it.each(expectedRanges)('%s', (_name, codes, action) => {
    for (const code of codes) expect([code, closeAction(code)]).toEqual([code, action]);
  });

  it('turns a generic close during the handshake into backoff, and nothing else', () => {
    for (const [, codes, action] of expectedRanges) {
      for (const code of codes) {
        const during = closeAction(code, { duringHandshake: true });
        expect([code, during]).toEqual([code, action === CloseAction.None ? CloseAction.Backoff : action]);
        expect(closeAction(code, { duringHandshake: false })).toBe(action);
      }
    }
  });

  it('maps the named codes as spec §4.3 expects', () => {
    expect(closeAction(CloseCode.SslOnly)).toBe('tls_only');
    expect(closeAction(CloseCode.AppNotFound)).toBe('refused');
    expect(closeAction(CloseCode.NoProtocolVersion)).toBe('refused');
    expect(closeAction(CloseCode.Unauthorized)).toBe('refused');
    expect(closeAction(CloseCode.OverCapacity)).toBe('backoff');
    expect(closeAction(CloseCode.SlowConsumer)).toBe('backoff');
    expect(closeAction(CloseCode.ReconnectImmediately)).toBe('retry');
    expect(closeAction(CloseCode.PongNotReceived)).toBe('retry');
    expect(closeAction(CloseCode.SessionNotFound)).toBe('retry');
    expect(closeAction(CloseCode.ClientEventRateLimited)).toBe('refused');
    expect(closeAction(CloseCode.AbnormalClosure)).toBe('none');
  });
});

describe('CLOSE_CODE_INFO', () => {
  it('has an entry with a name and a sentence for every CloseCode', () => {
    for (const code of Object.values(CloseCode)) {
      const info = closeCodeInfo(code);
      expect(info, `code ${code}`).toBeDefined();
      expect(info?.name.length).toBeGreaterThan(0);
      expect(info?.description).toMatch(/\.$/);
    }
  });

  it('has no entry that is not a CloseCode', () => {
    const known = new Set<number>(Object.values(CloseCode));
    for (const key of Object.keys(CLOSE_CODE_INFO)) expect(known.has(Number(key)), key).toBe(true);
  });

  it('returns undefined for unknown codes', () => {
    expect(closeCodeInfo(4999)).toBeUndefined();
    expect(closeCodeInfo(3000)).toBeUndefined();
  });

  it('marks the codes a platform reports locally', () => {
    const local = Object.entries(CLOSE_CODE_INFO)
      .filter(([, info]) => 'localOnly' in info && info.localOnly)
      .map(([code]) => Number(code));
    expect(local).toEqual([1005, 1006, 1015]);
  });
});

describe('isErrorClose', () => {
  it('is false only for 1000 and 1001', () => {
    expect(isErrorClose(1000)).toBe(false);
    expect(isErrorClose(1001)).toBe(false);
    for (const code of [1002, 1005, 1006, 4000, 4001, 4200, 4301]) expect(isErrorClose(code)).toBe(true);
  });
});

describe('describeClose', () => {
  it('lists the likely causes of a 1006, including idle proxies and blocked upgrades', () => {
    const described = describeClose(CloseCode.AbnormalClosure);
    expect(described.name).toBe('Abnormal closure');
    expect(described.action).toBe('none');
    expect(described.likelyCauses.length).toBeGreaterThanOrEqual(3);
    expect(described.explanation).toContain('Likely causes');
    expect(described.explanation).toMatch(/idle/);
    expect(described.explanation).toMatch(/proxy/);
    expect(described.explanation).toMatch(/network/);
    expect(described.explanation).toContain('reconnect');
  });

  it("prefers the peer's reason over the table's description", () => {
    const described = describeClose(CloseCode.AppNotFound, '  App key abc not in cluster  ');
    expect(described.reason).toBe('App key abc not in cluster');
    expect(described.explanation).toContain('App key abc not in cluster');
    expect(described.explanation).toContain('4001');
    expect(described.action).toBe('refused');
    expect(described.explanation).toContain('will not reconnect');
  });

  it('takes an action override and explains that action instead', () => {
    const described = describeClose(CloseCode.AbnormalClosure, '', { action: 'retry' });
    expect(described.action).toBe('retry');
    expect(described.explanation).toMatch(/reconnect at once\.$/);
    expect(described.explanation).not.toContain('reconnect shortly');
  });

  it('falls back to the description when the peer gave no reason', () => {
    const described = describeClose(CloseCode.OverCapacity, '   ');
    expect(described.reason).toBe(CLOSE_CODE_INFO[4100].description);
    expect(described.explanation).toContain('after a pause');
  });

  it('does not repeat a reason equal to the description', () => {
    const text = CLOSE_CODE_INFO[4200].description;
    const described = describeClose(CloseCode.ReconnectImmediately, text);
    expect(described.explanation.split(text).length).toBe(2);
  });

  it('names unknown codes by range', () => {
    expect(describeClose(4555).name).toBe('Pusher error 4555');
    expect(describeClose(3001).name).toBe('Library close 3001');
    expect(describeClose(1999).name).toBe('Close 1999');
    expect(describeClose(4555).likelyCauses).toEqual([]);
  });

  it('applies the handshake rule', () => {
    expect(describeClose(CloseCode.AbnormalClosure, '', { duringHandshake: true }).action).toBe('backoff');
  });
});
