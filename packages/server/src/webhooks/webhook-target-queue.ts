import type { AppConfig } from '../app-config.js';
import type { Timer } from '../clock.js';
import { postWebhook } from './post-webhook.js';
import type { WebhookRuntime } from './webhook-options.js';
import { webhookBody, webhookHeaders, type WebhookEvent } from './webhook-payload.js';
import { webhookRetryDelay } from './webhook-retry-delay.js';

/**
 * The events bound for one target URL of one app: gathered for a short window and sent as one POST,
 * one POST at a time (so the target sees them in order), retried with backoff and jitter for the
 * retry window, then dropped and reported. The queue is bounded; overflow drops the oldest events.
 */
export class WebhookTargetQueue {
  private readonly queue: WebhookEvent[] = [];
  private windowTimer: Timer | undefined;
  private draining: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closing = false;
  private overflowing = false;

  constructor(
    private readonly runtime: WebhookRuntime,
    private app: AppConfig,
    readonly url: string,
  ) {}

  /** Queues an event; `app` is the latest config (its key and secret sign the next POST). */
  push(app: AppConfig, event: WebhookEvent): void {
    if (this.closing) return;
    this.app = app;
    const { maxQueuedEvents } = this.runtime.limits;
    if (this.queue.length >= maxQueuedEvents) {
      this.queue.shift();
      if (!this.overflowing) {
        this.overflowing = true;
        this.runtime.report(
          new Error(`queue full at ${maxQueuedEvents} events; dropping the oldest`),
          this.context(),
        );
      }
    }
    this.queue.push(event);
    this.schedule();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Sends what is queued (one attempt for whatever fails from now on) and resolves when done. */
  async close(): Promise<void> {
    this.closing = true;
    this.runtime.clock.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    this.wake?.();
    if (this.draining === undefined && this.queue.length > 0) this.startDrain();
    await this.draining;
  }

  private context(): string {
    return `webhook ${this.url} (app ${this.app.id})`;
  }

  private schedule(): void {
    if (this.draining !== undefined || this.windowTimer !== undefined) return;
    this.windowTimer = this.runtime.clock.setTimeout(() => {
      this.windowTimer = undefined;
      this.startDrain();
    }, this.runtime.limits.batchWindowMs);
  }

  private startDrain(): void {
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0 && !this.closing) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const events = this.queue.splice(0, this.runtime.limits.maxBatchEvents);
      const delivered = await this.deliver(events);
      if (delivered) this.overflowing = false;
      else if (this.closing && this.queue.length > 0) {
        this.runtime.report(
          new Error(`dropped ${this.queue.length} queued event(s) on close`),
          this.context(),
        );
        this.queue.length = 0;
      }
    }
  }

  private async deliver(events: WebhookEvent[]): Promise<boolean> {
    const { clock, limits, random } = this.runtime;
    const body = webhookBody(clock.now(), events);
    const post = { url: this.url, headers: webhookHeaders(this.app, body), body };
    const started = clock.now();
    for (let attempt = 1; ; attempt += 1) {
      const result = await postWebhook(this.runtime.fetch, clock, post, limits.requestTimeoutMs);
      if (result.ok) return true;
      const delay = webhookRetryDelay(attempt, random, limits.retryBaseDelayMs, limits.retryMaxDelayMs);
      if (this.closing || clock.now() + delay - started > limits.retryWindowMs) {
        this.runtime.report(
          new Error(`dropped ${events.length} event(s) after ${attempt} attempt(s): ${result.reason}`),
          this.context(),
        );
        return false;
      }
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.wake = undefined;
        resolve();
      };
      const timer = this.runtime.clock.setTimeout(done, ms);
      this.wake = () => {
        this.runtime.clock.clearTimeout(timer);
        done();
      };
    });
  }
}
