/** What the local registries know of a session: enough to deliver to it, nothing more. */
export interface LocalRecipient {
  readonly socketId: string;
  /** Sends one already-encoded frame (shared between recipients). */
  send(frame: string): void;
  /** The user this connection is signed in as was terminated: `pusher:error` 4009 + close 4009. */
  terminateAsUser(): void;
}
