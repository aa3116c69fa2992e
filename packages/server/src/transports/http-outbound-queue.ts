import { utf8Length } from '@tether/protocol';

/**
 * A fan-out pushes the same frame string into every session's queue: its UTF-8 size is counted once,
 * for the first session, and reused for the others.
 */
let lastSized = '';
let lastSize = 0;
function sizeOf(frame: string): number {
  if (frame !== lastSized) {
    lastSize = utf8Length(frame);
    lastSized = frame;
  }
  return lastSize;
}

const NO_FRAMES: readonly string[] = Object.freeze([]);

export interface OutboundQueueLimits {
  maxFrames: number;
  maxBytes: number;
}

/**
 * The frames of one HTTP session that no receive request has carried yet (or, for long-poll, that the
 * client has not acknowledged). Every frame has a sequence number: the first frame ever queued is 0.
 * `base` is the number of the oldest frame held, `next` the number the next frame will get.
 */
export class OutboundQueue {
  private frames: string[] = [];
  private sizes: number[] = [];
  private head = 0;
  private firstSeq = 0;
  private byteCount = 0;

  constructor(private readonly limits: OutboundQueueLimits) {}

  get base(): number {
    return this.firstSeq;
  }

  get next(): number {
    return this.firstSeq + this.length;
  }

  get length(): number {
    return this.frames.length - this.head;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** Appends a frame; false (and nothing queued) when it would break a limit. */
  push(frame: string): boolean {
    const size = sizeOf(frame);
    if (this.length + 1 > this.limits.maxFrames || this.byteCount + size > this.limits.maxBytes) return false;
    this.frames.push(frame);
    this.sizes.push(size);
    this.byteCount += size;
    return true;
  }

  /**
   * The frames numbered `seq` and later, oldest first (seq is clamped to what is held). A new array
   * the caller may keep, except that every call with nothing to return shares one frozen empty array
   * (a held poll asks once per poll).
   */
  from(seq: number): readonly string[] {
    const start = this.head + Math.max(0, seq - this.firstSeq);
    return start >= this.frames.length ? NO_FRAMES : this.frames.slice(start);
  }

  /** Drops every frame numbered below `seq`: the client has them. */
  dropBefore(seq: number): void {
    const count = Math.min(this.length, Math.max(0, seq - this.firstSeq));
    for (let i = 0; i < count; i += 1) this.byteCount -= this.sizes[this.head + i] ?? 0;
    this.head += count;
    this.firstSeq += count;
    if (this.head > 0 && this.head === this.frames.length) {
      // Everything acknowledged, the usual case after each poll: start over (cheaper than slicing).
      this.frames = [];
      this.sizes = [];
      this.head = 0;
    } else if (this.head > 0 && this.head * 2 >= this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** Removes and returns every frame held. */
  takeAll(): readonly string[] {
    const out = this.from(this.firstSeq);
    this.dropBefore(this.next);
    return out;
  }

  /** Forgets every frame held (the numbering carries on). */
  clear(): void {
    this.dropBefore(this.next);
  }
}
