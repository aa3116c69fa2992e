/** A presence member: one per user id, however many connections (tabs) that user has. */
export interface Member {
  id: string;
  info: unknown;
}

/**
 * The members of a presence channel, keyed by user id (spec §5.7). Filled from
 * `subscription_succeeded` (`hash`, `count`), kept up to date by member_added / member_removed,
 * cleared when the connection drops.
 */
export class Members {
  #members = new Map<string, unknown>();
  #count = 0;
  #myId: string | null = null;
  #myInfo: unknown = null;
  #me: Member | null = null;

  get count(): number {
    return this.#count;
  }

  /** This client's own member, once subscribed. */
  get me(): Member | null {
    return this.#me;
  }

  /** This client's user id, from the authorized `channel_data`. */
  get myID(): string | null {
    return this.#myId;
  }

  get(id: string): Member | null {
    return this.#members.has(id) ? { id, info: this.#members.get(id) } : null;
  }

  each(callback: (member: Member) => void): void {
    for (const [id, info] of this.#members) callback({ id, info });
  }

  toArray(): Member[] {
    return [...this.#members].map(([id, info]) => ({ id, info }));
  }

  /** @internal From the authorized `channel_data`, before the subscription succeeds. */
  setMyId(id: string, info: unknown): void {
    this.#myId = id;
    this.#myInfo = info;
  }

  /** @internal From `pusher_internal:subscription_succeeded`. */
  applySnapshot(hash: Record<string, unknown>, count: number): void {
    this.#members = new Map(Object.entries(hash));
    this.#count = count;
    if (this.#myId === null) {
      this.#me = null;
      return;
    }
    this.#me = this.get(this.#myId) ?? { id: this.#myId, info: this.#myInfo };
  }

  /** @internal Returns the member when it is new; null when the id was already present. */
  add(id: string, info: unknown): Member | null {
    const known = this.#members.has(id);
    this.#members.set(id, info);
    if (known) return null;
    this.#count += 1;
    return { id, info };
  }

  /** @internal Returns the removed member, or null when the id was unknown. */
  remove(id: string): Member | null {
    const member = this.get(id);
    if (member === null) return null;
    this.#members.delete(id);
    this.#count -= 1;
    return member;
  }

  /** @internal The connection dropped: nothing is known any more. */
  reset(): void {
    this.#members.clear();
    this.#count = 0;
    this.#me = null;
  }
}
