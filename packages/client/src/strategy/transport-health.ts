import { CloseCode, type TransportName } from '@tether/protocol';
import type { TransportDiagnostics } from '../connection/connection.js';
import type { ClientClock, NetworkSignals } from '../platform/platform.js';
import type { ReachabilityCheck } from './reachability.js';

export interface TransportDeath {
  at: number;
  code: number;
  lifespanMs: number;
  reason: string;
}

export interface ClosedTransport {
  code: number;
  wasClean: boolean;
  /** Time from the transport opening to its close. */
  lifespanMs: number;
}

const UNCLEAN_CODES: ReadonlySet<number> = new Set([CloseCode.NoStatusReceived, CloseCode.AbnormalClosure]);
const PROTOCOL_BREAKING_CODES: ReadonlySet<number> = new Set([
  CloseCode.ProtocolError,
  CloseCode.UnsupportedData,
]);

/**
 * Would this close be a death (before the network and reachability checks)? Returns why, or null.
 * A death: a transport that opened and then closed uncleanly (1006 and friends) within 2 × the
 * activity timeout, or closed with 1002/1003 at any time. Attempts that never opened are not deaths.
 */
export function deathReason(close: ClosedTransport, activityTimeoutMs: number): string | null {
  if (PROTOCOL_BREAKING_CODES.has(close.code))
    return `closed with ${close.code}: the transport broke the protocol`;
  const unclean = !close.wasClean || UNCLEAN_CODES.has(close.code);
  const window = 2 * activityTimeoutMs;
  if (unclean && close.lifespanMs < window) {
    return `dropped (${close.code}) ${Math.round(close.lifespanMs / 1000)} s after opening, within ${window / 1000} s`;
  }
  return null;
}

/** The record of one transport: attempts, deaths, and a ban after `lives` deaths. */
export class TransportHealth {
  #attempts = 0;
  #successes = 0;
  #deaths: TransportDeath[] = [];
  #disabledUntil: number | null = null;
  #disabledReason: string | null = null;
  readonly #lives: number;
  readonly #banDurationMs: number;
  readonly #clock: Pick<ClientClock, 'now'>;

  constructor(
    readonly name: TransportName,
    lives: number,
    banDurationMs: number,
    clock: Pick<ClientClock, 'now'>,
  ) {
    this.#lives = lives;
    this.#banDurationMs = banDurationMs;
    this.#clock = clock;
  }

  recordAttempt(): void {
    this.#attempts += 1;
  }

  recordSuccess(): void {
    this.#successes += 1;
  }

  /** Counts a death; returns true when it used up the last life and the transport is now disabled. */
  recordDeath(death: TransportDeath): boolean {
    this.#deaths.push(death);
    if (this.#disabledUntil !== null || this.#deaths.length < this.#lives) return false;
    this.#disabledUntil = death.at + this.#banDurationMs;
    this.#disabledReason = `${this.#deaths.length} deaths while online with the server reachable: ${this.#deaths.map((d) => d.reason).join('; ')}`;
    return true;
  }

  /** A connection outlived the death window: earlier deaths are forgiven. */
  recordHealthy(): void {
    if (this.#disabledUntil === null) this.#deaths = [];
  }

  /** False while banned; an expired ban is lifted (and its deaths forgotten) here. */
  isUsable(): boolean {
    if (this.#disabledUntil === null) return true;
    if (this.#clock.now() < this.#disabledUntil) return false;
    this.reset();
    return true;
  }

  /**
   * Lifts the ban but keeps the deaths (a background probe worked): the transport is on probation,
   * and one more death disables it again at once instead of after another `lives` deaths.
   */
  liftBan(): void {
    this.#disabledUntil = null;
    this.#disabledReason = null;
  }

  /** Forget deaths and lift the ban (the network changed). */
  reset(): void {
    this.#deaths = [];
    this.#disabledUntil = null;
    this.#disabledReason = null;
  }

  get banned(): { until: number; reason: string } | null {
    if (!this.isUsable() && this.#disabledUntil !== null)
      return { until: this.#disabledUntil, reason: this.#disabledReason ?? '' };
    return null;
  }

  diagnostics(): TransportDiagnostics {
    const usable = this.isUsable();
    return {
      name: this.name,
      attempts: this.#attempts,
      successes: this.#successes,
      deaths: this.#deaths.map((d) => ({ ...d })),
      disabledUntil: usable ? null : this.#disabledUntil,
      disabledReason: usable ? null : this.#disabledReason,
    };
  }
}

export interface HealthDependencies {
  clock: Pick<ClientClock, 'now'>;
  network: Pick<NetworkSignals, 'isOnline'>;
  reachable: ReachabilityCheck;
  lives: Record<TransportName, number>;
  banDurationMs: number;
  activityTimeoutMs: number;
}

export type DeathVerdict =
  { counted: false; reason: string } | { counted: true; death: TransportDeath; banned: boolean };

/** Health of every transport, and the judge of whether a close is the transport's own fault. */
export class TransportHealthBook {
  readonly #book: Map<TransportName, TransportHealth> = new Map();
  readonly #deps: HealthDependencies;

  constructor(deps: HealthDependencies) {
    this.#deps = deps;
  }

  of(name: TransportName): TransportHealth {
    let health = this.#book.get(name);
    if (!health) {
      health = new TransportHealth(name, this.#deps.lives[name], this.#deps.banDurationMs, this.#deps.clock);
      this.#book.set(name, health);
    }
    return health;
  }

  /**
   * Judges the close of a transport that had opened. A death counts only when the device is online
   * and the server answers over HTTP: otherwise the network, not the transport, is to blame.
   */
  async judge(name: TransportName, close: ClosedTransport): Promise<DeathVerdict> {
    const health = this.of(name);
    const reason = deathReason(close, this.#deps.activityTimeoutMs);
    if (reason === null) {
      if (close.lifespanMs >= 2 * this.#deps.activityTimeoutMs) health.recordHealthy();
      return { counted: false, reason: 'not a death' };
    }
    const at = this.#deps.clock.now();
    if (!this.#deps.network.isOnline())
      return { counted: false, reason: `${reason}, but the device was offline` };
    const reachable = await this.#deps.reachable();
    if (!reachable) return { counted: false, reason: `${reason}, but the server was unreachable too` };
    const death: TransportDeath = { at, code: close.code, lifespanMs: close.lifespanMs, reason };
    return { counted: true, death, banned: health.recordDeath(death) };
  }

  resetAll(): void {
    for (const health of this.#book.values()) health.reset();
  }

  diagnostics(names: readonly TransportName[]): TransportDiagnostics[] {
    return names.map((name) => this.of(name).diagnostics());
  }
}
