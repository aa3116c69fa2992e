import type { TransportName } from '@tether/protocol';
import type { ClientClock, TimerHandle } from '../platform/platform.js';
import type { ResolvedConnectionOptions } from '../options.js';
import type { TransportFactory } from '../transports/transport.js';
import { TransportAttempt, type AttemptFailure, type EstablishedConnection } from './transport-attempt.js';
import type { TransportHealthBook } from './transport-health.js';
import type { TransportMemory, TransportMemoryEntry } from './transport-memory.js';

export interface ScheduledTransport {
  transport: TransportName;
  delayMs: number;
}

export interface StrategyPlan {
  schedule: ScheduledTransport[];
  /** The fresh memory entry the plan starts from, if it does. */
  remembered: TransportMemoryEntry | null;
  /** Why transports are missing from the schedule. */
  excluded: Partial<Record<TransportName, string>>;
}

export interface RaceWon {
  connection: EstablishedConnection;
  /** Why this transport, in a sentence. */
  why: string;
  tried: TransportName[];
}

export interface RaceLost {
  /** The failure that decides what happens next: a server close code, or the last failure. */
  failure: AttemptFailure;
  tried: TransportName[];
}

export interface RaceHandlers {
  won(result: RaceWon): void;
  lost(result: RaceLost): void;
  /** Every attempt that failed, as it fails (for error events and health); `final` when it ends the race. */
  attemptFailed(failure: AttemptFailure, final: boolean): void;
}

export interface StrategyDependencies {
  clock: ClientClock;
  options: Pick<
    ResolvedConnectionOptions,
    | 'transports'
    | 'fallbackDelayTlsMs'
    | 'fallbackDelayPlainMs'
    | 'longPollDelayMs'
    | 'handshakeTimeoutMs'
    | 'memoryLatencyFactor'
    | 'memoryLatencyMarginMs'
  >;
  health: TransportHealthBook;
  memory: TransportMemory;
  isSupported(name: TransportName): boolean;
  nextAttemptId(): number;
}

const PUSHER_CODES = { from: 4000, to: 4999 } as const;

/** A close code the server chose (4000–4999) decides for the whole race: the other transports would hear the same. */
const isDecisive = (failure: AttemptFailure): boolean => {
  const code = failure.serverError?.code ?? failure.code;
  return code >= PUSHER_CODES.from && code <= PUSHER_CODES.to;
};

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * Which transports to try, when, and the race between them (ARCHITECTURE "The client strategy"):
 * WebSocket first; if it has not connected after the fallback delay (2 s TLS, 5 s without) SSE starts
 * in parallel, then long-poll a few seconds later. A remembered transport goes first with a timeout
 * derived from its latency. Banned transports are skipped unless nothing else is left. The first
 * attempt to complete the handshake wins and the others are aborted. When every running attempt has
 * failed, the next scheduled one starts at once instead of waiting out its delay.
 */
export class TransportStrategy {
  readonly #deps: StrategyDependencies;
  constructor(deps: StrategyDependencies) {
    this.#deps = deps;
  }

  /** Enabled transports this platform can run, in order of preference. */
  candidates(): TransportName[] {
    return this.#deps.options.transports.filter((name) => this.#deps.isSupported(name));
  }

  isSupported(): boolean {
    return this.candidates().length > 0;
  }

  plan(tls: boolean): StrategyPlan {
    const { options, health, memory } = this.#deps;
    const excluded: Partial<Record<TransportName, string>> = {};
    const candidates = this.candidates();
    let usable = candidates.filter((name) => {
      const ban = health.of(name).banned;
      if (ban) excluded[name] = `${name} is disabled for now (${ban.reason})`;
      return ban === null;
    });
    // A ban never leaves the user with nothing (pusher-js #553): with no alternative, try it anyway.
    if (usable.length === 0) {
      usable = candidates;
      for (const name of candidates) delete excluded[name];
    }
    const fallbackDelay = tls ? options.fallbackDelayTlsMs : options.fallbackDelayPlainMs;
    const remembered = memory.read(tls);
    if (remembered && usable.includes(remembered.transport)) {
      const timeout = Math.min(
        fallbackDelay,
        remembered.latency * options.memoryLatencyFactor + options.memoryLatencyMarginMs,
      );
      const rest = usable.filter((name) => name !== remembered.transport);
      return {
        schedule: [
          { transport: remembered.transport, delayMs: 0 },
          ...rest.map((transport, i) => ({ transport, delayMs: timeout + i * options.longPollDelayMs })),
        ],
        remembered,
        excluded,
      };
    }
    return {
      schedule: usable.map((transport, i) => ({
        transport,
        delayMs: i === 0 ? 0 : fallbackDelay + (i - 1) * options.longPollDelayMs,
      })),
      remembered: null,
      excluded,
    };
  }

  /** Runs one race with the factory for the current TLS setting. */
  run(tls: boolean, createTransport: TransportFactory, handlers: RaceHandlers): { abort(): void } {
    const race = new Race(this.#deps, this.plan(tls), createTransport, handlers, tls);
    race.start();
    return { abort: () => race.abort() };
  }
}

class Race {
  readonly #pending: { transport: TransportName; dueAt: number }[];
  readonly #running: TransportAttempt[] = [];
  readonly #failures: AttemptFailure[] = [];
  readonly #tried: TransportName[] = [];
  #timer: TimerHandle = null;
  #finished = false;
  readonly #startedAt: number;
  readonly #deps: StrategyDependencies;
  readonly #plan: StrategyPlan;
  readonly #createTransport: TransportFactory;
  readonly #handlers: RaceHandlers;
  readonly #tls: boolean;

  constructor(
    deps: StrategyDependencies,
    plan: StrategyPlan,
    createTransport: TransportFactory,
    handlers: RaceHandlers,
    tls: boolean,
  ) {
    this.#deps = deps;
    this.#plan = plan;
    this.#createTransport = createTransport;
    this.#handlers = handlers;
    this.#tls = tls;
    this.#startedAt = deps.clock.now();
    this.#pending = plan.schedule.map((s) => ({
      transport: s.transport,
      dueAt: this.#startedAt + s.delayMs,
    }));
  }

  start(): void {
    this.#startDue();
  }

  abort(): void {
    this.#finish();
  }

  #startDue(): void {
    if (this.#finished) return;
    const now = this.#deps.clock.now();
    while (this.#pending[0] && this.#pending[0].dueAt <= now) {
      const next = this.#pending.shift();
      if (next) this.#launch(next.transport);
      if (this.#finished) return;
    }
    this.#arm();
  }

  #arm(): void {
    if (this.#timer !== null) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = null;
    const next = this.#pending[0];
    if (!next) return;
    this.#timer = this.#deps.clock.setTimeout(
      () => {
        this.#timer = null;
        this.#startDue();
      },
      Math.max(0, next.dueAt - this.#deps.clock.now()),
    );
  }

  #launch(name: TransportName): void {
    const transport = this.#createTransport(name, this.#deps.nextAttemptId());
    this.#deps.health.of(name).recordAttempt();
    this.#tried.push(name);
    const attempt = new TransportAttempt(transport, this.#deps.clock, this.#deps.options.handshakeTimeoutMs, {
      established: (connection) => this.#won(attempt, connection),
      failed: (failure) => this.#attemptFailed(attempt, failure),
    });
    this.#running.push(attempt);
    attempt.start();
  }

  #won(attempt: TransportAttempt, connection: EstablishedConnection): void {
    if (this.#finished) return;
    this.#running.splice(this.#running.indexOf(attempt), 1);
    this.#finish();
    this.#deps.health.of(attempt.name).recordSuccess();
    this.#handlers.won({ connection, why: this.#explain(attempt.name, connection), tried: [...this.#tried] });
  }

  #attemptFailed(attempt: TransportAttempt, failure: AttemptFailure): void {
    if (this.#finished) return;
    this.#running.splice(this.#running.indexOf(attempt), 1);
    this.#failures.push(failure);
    if (this.#plan.remembered?.transport === failure.transport) this.#deps.memory.forget(this.#tls);
    const next = this.#pending[0];
    const final = isDecisive(failure) || (this.#running.length === 0 && !next);
    this.#handlers.attemptFailed(failure, final);
    if (this.#finished) return;
    if (final) {
      this.#lose(failure);
      return;
    }
    if (this.#running.length > 0 || !next) return;
    // Everything running has failed: bring the schedule forward instead of waiting out the delay.
    const shift = next.dueAt - this.#deps.clock.now();
    for (const entry of this.#pending) entry.dueAt -= shift;
    this.#startDue();
  }

  #lose(failure: AttemptFailure): void {
    this.#finish();
    this.#handlers.lost({ failure, tried: [...this.#tried] });
  }

  #finish(): void {
    this.#finished = true;
    if (this.#timer !== null) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.length = 0;
    for (const attempt of this.#running.splice(0)) attempt.abort();
  }

  #explain(winner: TransportName, connection: EstablishedConnection): string {
    const latency = connection.establishedAt - connection.startedAt;
    const { remembered, excluded } = this.#plan;
    const parts: string[] = [];
    if (remembered?.transport === winner) {
      const age = this.#deps.clock.now() - remembered.at;
      parts.push(
        `${winner} worked last time (${seconds(age)} ago) and was tried first; handshake in ${latency} ms`,
      );
    } else if (this.#plan.schedule[0]?.transport === winner) {
      parts.push(`${winner} is the first choice; handshake in ${latency} ms`);
    } else {
      parts.push(
        `${winner} completed the handshake first (in ${latency} ms, ${seconds(connection.establishedAt - this.#startedAt)} into the race)`,
      );
    }
    for (const name of this.#deps.options.transports) {
      if (name === winner) break;
      const reason = excluded[name];
      const failure = [...this.#failures].reverse().find((f) => f.transport === name);
      if (reason) parts.push(reason);
      else if (!this.#deps.isSupported(name)) parts.push(`${name} is not available here`);
      else if (failure) parts.push(`${name} failed: ${failure.code} ${failure.reason}`);
      else if (this.#tried.includes(name)) parts.push(`${name} had not connected yet`);
    }
    return `${parts.join('; ')}.`;
  }
}
