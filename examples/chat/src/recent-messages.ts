/** One chat message as the backend stored and published it. */
export interface ChatMessage {
  /** Unique per process; the page uses it to show each message once (the POST answer and the event). */
  id: string;
  room: string;
  userId: string;
  name: string;
  text: string;
  /** Milliseconds since the epoch, from the backend's clock. */
  at: number;
}

export interface RecentMessagesLimits {
  perRoom: number;
  rooms: number;
}

/**
 * The last `perRoom` messages of at most `rooms` rooms, in memory. When a new room would exceed the
 * bound, the room written to least recently is forgotten. A process restart forgets everything:
 * this is what someone joining sees, not an archive.
 */
export class RecentMessages {
  /** Map order is write order: the first key is the least recently written room. */
  private readonly rooms = new Map<string, ChatMessage[]>();

  constructor(private readonly limits: RecentMessagesLimits) {}

  add(message: ChatMessage): void {
    const list = this.rooms.get(message.room) ?? [];
    this.rooms.delete(message.room);
    list.push(message);
    if (list.length > this.limits.perRoom) list.splice(0, list.length - this.limits.perRoom);
    this.rooms.set(message.room, list);
    while (this.rooms.size > this.limits.rooms) {
      const oldest = this.rooms.keys().next();
      if (oldest.done === true) break;
      this.rooms.delete(oldest.value);
    }
  }

  /** Oldest first; a copy. */
  of(room: string): ChatMessage[] {
    return [...(this.rooms.get(room) ?? [])];
  }

  get roomCount(): number {
    return this.rooms.size;
  }
}
