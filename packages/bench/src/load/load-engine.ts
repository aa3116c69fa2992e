import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createPayloadFactory, readSentAt } from '../wire/bench-payload.js';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.js';
import { loadClients, type LoadClients } from './load-clients.js';
import type { LoadSpec } from './load-spec.js';
import type { Publisher } from './publishers/publisher.js';
import type { Subscriber } from './subscribers/subscriber.js';

export interface LoadEngineOptions {
  host: string;
  /** Where subscribers connect. */
  port: number;
  /** Where the publisher sends (another node of a cluster); default `port`. */
  publishPort?: number;
  spec: LoadSpec;
  /** Subscribers connecting at once. */
  connectConcurrency: number;
  /** One subscriber's connect-and-subscribe limit. */
  connectTimeoutMs: number;
  /** The whole connect phase's limit: subscribers not started by then are not opened. */
  connectDeadlineMs: number;
  /** Saturation: deliveries allowed in flight (published × subscribers − delivered)… */
  inflightDeliveries: number;
  /** …but never more messages than this in flight (small N). */
  maxInflightMessages: number;
  /** Publishes awaiting the target's answer (HTTP publishers). */
  maxConcurrentPublishes: number;
  /** Publishes issued in one turn of the event loop before yielding. */
  maxPublishesPerTurn: number;
  /** Fixed-rate mode: how often the publisher catches up with its schedule. */
  rateTickMs: number;
  latencyCapacity: number;
  /** One HTTP request's limit (a held poll included). */
  requestTimeoutMs: number;
  /** Poll period while draining. */
  drainPollMs: number;
}

export type PublishMode =
  { kind: 'saturate' } | { kind: 'rate'; messagesPerSecond: number; maxMessages: number };

export interface ConnectReport {
  requested: number;
  opened: number;
  failed: number;
  elapsedMs: number;
  /** The first few failure reasons. */
  errors: string[];
}

export interface EngineSnapshot {
  atMs: number;
  cpuMicros: number;
  published: number;
  delivered: number;
  expected: number;
}

export interface DeliveryReport {
  published: number;
  publishFailures: number;
  expected: number;
  delivered: number;
  undelivered: number;
  /** Deliveries beyond those expected. */
  duplicates: number;
  drained: boolean;
  errors: string[];
}

export interface CloseReport {
  disconnects: number;
  errors: string[];
}

const MAX_ERRORS_KEPT = 5;

/**
 * The load generator's state for one target: N subscribers counting deliveries (and latencies from
 * the send time in each payload), one publisher driven either at saturation (closed loop: a bounded
 * number of deliveries in flight) or at a fixed rate. Every loop here has a count and a deadline.
 */
export class LoadEngine {
  private readonly clients: LoadClients;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  private readonly subscribers: Subscriber[] = [];
  private readonly latency: LatencyRecorder;
  private readonly payload: (seq: number, sentAt: number) => string;
  private publisher: Publisher | undefined;
  private live = 0;
  private seq = 0;
  private published = 0;
  private publishFailures = 0;
  private expected = 0;
  private delivered = 0;
  private disconnects = 0;
  private pendingPublishes = 0;
  private recordingLatency = false;
  private mode: PublishMode | undefined;
  private pumpScheduled = false;
  private rateTimer: NodeJS.Timeout | undefined;
  private readonly publishErrors: string[] = [];
  private readonly disconnectErrors: string[] = [];

  constructor(private readonly options: LoadEngineOptions) {
    this.clients = loadClients(options.spec, {
      agent: this.agent,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.latency = new LatencyRecorder(options.latencyCapacity);
    this.payload = createPayloadFactory({ channel: options.spec.channel, event: options.spec.event });
  }

  /** Opens up to `count` subscribers, `connectConcurrency` at a time, within `connectDeadlineMs`. */
  async connect(count: number): Promise<ConnectReport> {
    const started = performance.now();
    const errors: string[] = [];
    let next = 0;
    let failed = 0;
    const hooks = {
      onDelivery: (frame: string) => this.onDelivery(frame),
      onDisconnect: (reason: string) => {
        this.live -= 1;
        this.disconnects += 1;
        if (this.disconnectErrors.length < MAX_ERRORS_KEPT) this.disconnectErrors.push(reason);
      },
    };
    const worker = async (): Promise<void> => {
      while (next < count && performance.now() - started < this.options.connectDeadlineMs) {
        next += 1;
        try {
          const subscriber = await this.clients.connectSubscriber({
            host: this.options.host,
            port: this.options.port,
            channel: this.options.spec.channel,
            hooks,
            timeoutMs: this.options.connectTimeoutMs,
          });
          this.subscribers.push(subscriber);
          this.live += 1;
        } catch (error) {
          failed += 1;
          if (errors.length < MAX_ERRORS_KEPT)
            errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(count, this.options.connectConcurrency) }, worker));
    const elapsedMs = performance.now() - started;
    if (next < count)
      errors.push(
        `connect deadline (${this.options.connectDeadlineMs} ms) reached after ${next} of ${count}`,
      );
    return {
      requested: count,
      opened: this.subscribers.length,
      failed: failed + (count - next),
      elapsedMs,
      errors,
    };
  }

  async openPublisher(): Promise<void> {
    this.publisher ??= await this.clients.openPublisher({
      host: this.options.host,
      port: this.options.publishPort ?? this.options.port,
      channel: this.options.spec.channel,
      event: this.options.spec.event,
      agent: this.agent,
      timeoutMs: this.options.requestTimeoutMs,
    });
  }

  startPublishing(mode: PublishMode): void {
    if (!this.publisher) throw new Error('startPublishing: no publisher; call openPublisher first');
    this.stopPublishing();
    this.mode = mode;
    switch (mode.kind) {
      case 'saturate':
        this.schedulePump();
        return;
      case 'rate': {
        const started = performance.now();
        let issued = 0;
        this.rateTimer = setInterval(() => {
          const due = Math.min(
            mode.maxMessages,
            Math.floor(((performance.now() - started) * mode.messagesPerSecond) / 1000),
          );
          let turn = 0;
          while (
            issued < due &&
            turn < this.options.maxPublishesPerTurn &&
            this.pendingPublishes < this.options.maxConcurrentPublishes
          ) {
            this.issue();
            issued += 1;
            turn += 1;
          }
          if (issued >= mode.maxMessages) this.stopPublishing();
        }, this.options.rateTickMs);
        return;
      }
    }
  }

  stopPublishing(): void {
    this.mode = undefined;
    clearInterval(this.rateTimer);
    this.rateTimer = undefined;
  }

  recordLatency(on: boolean): void {
    if (on) this.latency.reset();
    this.recordingLatency = on;
  }

  latencySummary(): LatencySummary {
    return this.latency.summary();
  }

  snapshot(): EngineSnapshot {
    const { user, system } = process.cpuUsage();
    return {
      atMs: performance.now(),
      cpuMicros: user + system,
      published: this.published,
      delivered: this.delivered,
      expected: this.expected,
    };
  }

  /** Waits (at most `deadlineMs`) for pending publishes to settle and every expected delivery to arrive. */
  async drain(deadlineMs: number): Promise<DeliveryReport> {
    const until = performance.now() + deadlineMs;
    const done = (): boolean => this.pendingPublishes === 0 && this.delivered >= this.expected;
    while (!done() && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, this.options.drainPollMs));
    }
    return {
      published: this.published,
      publishFailures: this.publishFailures,
      expected: this.expected,
      delivered: this.delivered,
      undelivered: Math.max(0, this.expected - this.delivered),
      duplicates: Math.max(0, this.delivered - this.expected),
      drained: done(),
      errors: [...this.publishErrors],
    };
  }

  /** Closes the publisher and every subscriber on purpose; reports the disconnects seen before. */
  close(): CloseReport {
    this.stopPublishing();
    const report = { disconnects: this.disconnects, errors: [...this.disconnectErrors] };
    this.publisher?.close();
    for (const subscriber of this.subscribers.splice(0)) subscriber.close();
    this.live = 0;
    this.agent.destroy();
    return report;
  }

  private onDelivery(frame: string): void {
    this.delivered += 1;
    if (this.recordingLatency) {
      const sentAt = readSentAt(frame);
      if (!Number.isNaN(sentAt)) this.latency.record(performance.now() - sentAt);
    }
    if (this.mode?.kind === 'saturate') this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  /** Saturation: publish while fewer than the allowed messages are in flight. */
  private pump(): void {
    this.pumpScheduled = false;
    if (this.mode?.kind !== 'saturate') return;
    const audience = Math.max(1, this.live);
    const allowed = Math.max(
      1,
      Math.min(this.options.maxInflightMessages, Math.ceil(this.options.inflightDeliveries / audience)),
    );
    let turn = 0;
    while (
      turn < this.options.maxPublishesPerTurn &&
      this.pendingPublishes < this.options.maxConcurrentPublishes &&
      (this.expected - this.delivered) / audience < allowed
    ) {
      this.issue();
      turn += 1;
    }
    if (turn === this.options.maxPublishesPerTurn) this.schedulePump();
  }

  private issue(): void {
    const publisher = this.publisher;
    if (!publisher) return;
    const audience = this.live;
    const data = this.payload(this.seq++, performance.now());
    this.published += 1;
    this.expected += audience;
    let pending: Promise<void> | undefined;
    try {
      pending = publisher.publish(data);
    } catch (error) {
      this.publishFailed(audience, error);
      return;
    }
    if (!pending) return;
    this.pendingPublishes += 1;
    pending.then(
      () => {
        this.pendingPublishes -= 1;
        if (this.mode?.kind === 'saturate') this.schedulePump();
      },
      (error: unknown) => {
        this.pendingPublishes -= 1;
        this.publishFailed(audience, error);
        if (this.mode?.kind === 'saturate') this.schedulePump();
      },
    );
  }

  private publishFailed(audience: number, error: unknown): void {
    this.publishFailures += 1;
    this.expected -= audience;
    if (this.publishErrors.length < MAX_ERRORS_KEPT)
      this.publishErrors.push(error instanceof Error ? error.message : String(error));
  }
}
