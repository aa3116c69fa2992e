/** A client event waiting for its channel to be subscribed on a live connection. */
export interface QueuedClientEvent {
  channel: string;
  event: string;
  data: unknown;
}

/**
 * Client events triggered while not connected (or before their channel is subscribed), bounded,
 * flushed in order. Order is kept per channel: an event never overtakes an earlier one on the
 * same channel.
 */
export class ClientEventQueue {
  readonly maxSize: number;
  #entries: QueuedClientEvent[] = [];

  constructor(maxSize: number) {
    this.maxSize = maxSize;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Returns false (and keeps nothing) when the queue is full. */
  push(entry: QueuedClientEvent): boolean {
    if (this.#entries.length >= this.maxSize) return false;
    this.#entries.push(entry);
    return true;
  }

  /** True when events for `channel` are waiting (a new one must queue behind them). */
  has(channel: string): boolean {
    return this.#entries.some((entry) => entry.channel === channel);
  }

  /**
   * Sends, in order, every event whose channel is ready. An event whose channel is not ready stays,
   * and so does every later event on that channel. When `send` returns false (the connection went
   * away) the flush stops and everything left stays queued, in order. Returns how many were sent.
   */
  flush(isReady: (channel: string) => boolean, send: (entry: QueuedClientEvent) => boolean): number {
    const kept: QueuedClientEvent[] = [];
    const blocked = new Set<string>();
    let stopped = false;
    let sent = 0;
    for (const entry of this.#entries) {
      if (!stopped && !blocked.has(entry.channel) && isReady(entry.channel)) {
        if (send(entry)) {
          sent += 1;
          continue;
        }
        stopped = true;
      }
      blocked.add(entry.channel);
      kept.push(entry);
    }
    this.#entries = kept;
    return sent;
  }

  /** Removes every event for `channel`; returns how many were dropped. */
  drop(channel: string): number {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((entry) => entry.channel !== channel);
    return before - this.#entries.length;
  }
}
