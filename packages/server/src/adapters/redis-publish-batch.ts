import { deferToImmediate, type DeferToEndOfTurn } from '../end-of-turn.js';

export interface RedisPublishBatchOptions {
  /** Publishes one payload (the records of a batch joined); resolves when Redis answered or the failure was reported. */
  send: (payload: string) => Promise<void>;
  /** A batch this large goes out at once instead of waiting for the end of the turn. */
  maxBytes: number;
  defer?: DeferToEndOfTurn;
}

/**
 * Records published during one turn of the event loop leave as one PUBLISH at the end of that turn, so
 * the other nodes receive them together and deliver them together: each subscriber's socket gets one
 * write for the whole batch, and Redis one command, however many events the turn published. The order
 * of records is the order of `add`.
 */
export class RedisPublishBatch {
  private records: string[] = [];
  private length = 0;
  private scheduled = false;
  private sent: Promise<void> | undefined;
  private resolveSent: (() => void) | undefined;
  private readonly defer: DeferToEndOfTurn;

  constructor(private readonly options: RedisPublishBatchOptions) {
    this.defer = options.defer ?? deferToImmediate;
  }

  /** Queues one record; resolves once the PUBLISH carrying it has been answered (or its failure reported). */
  add(record: string): Promise<void> {
    if (this.length > 0 && this.length + record.length > this.options.maxBytes) this.flush();
    this.records.push(record);
    this.length += record.length;
    if (this.sent === undefined) this.sent = new Promise((resolve) => (this.resolveSent = resolve));
    const sent = this.sent;
    if (!this.scheduled) {
      this.scheduled = true;
      this.defer(this.endOfTurn);
    }
    return sent;
  }

  /** Sends what is queued now, e.g. before another command that must reach Redis after it. */
  flush(): void {
    if (this.records.length === 0) return;
    const payload = this.records.length === 1 ? this.records[0]! : this.records.join('');
    const resolve = this.resolveSent;
    this.records = [];
    this.length = 0;
    this.sent = undefined;
    this.resolveSent = undefined;
    void this.options.send(payload).then(resolve, resolve);
  }

  /** Forgets what is queued without sending it (a crash); pending `add` promises resolve. */
  drop(): void {
    const resolve = this.resolveSent;
    this.records = [];
    this.length = 0;
    this.sent = undefined;
    this.resolveSent = undefined;
    resolve?.();
  }

  private readonly endOfTurn = (): void => {
    this.scheduled = false;
    this.flush();
  };
}
