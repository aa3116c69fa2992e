/**
 * The raw long-poll server's per-channel log: encoded frames addressed by a growing cursor, keeping
 * the last `capacity` of them. A reader whose cursor fell out of the log gets what is left (and the
 * frames it missed show up as undelivered in the report).
 */
export class ChannelLog {
  private frames: string[] = [];
  /** Cursor of `frames[0]`. */
  private base = 0;

  constructor(private readonly capacity: number) {}

  /** The cursor after the last frame. */
  get end(): number {
    return this.base + this.frames.length;
  }

  append(frame: string): void {
    this.frames.push(frame);
    // Trim in blocks so an append stays O(1) amortized.
    if (this.frames.length >= 2 * this.capacity) {
      const drop = this.frames.length - this.capacity;
      this.frames = this.frames.slice(drop);
      this.base += drop;
    }
  }

  /** Frames from `cursor` on (from the oldest kept when `cursor` is older). */
  since(cursor: number): string[] {
    return this.frames.slice(Math.max(0, cursor - this.base));
  }
}
