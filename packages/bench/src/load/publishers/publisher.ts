import type { Agent } from 'node:http';

/** Sends messages to a target's channel from the load generator. */
export interface Publisher {
  /**
   * Hands one message to the target: `undefined` when accepted synchronously (socket transports),
   * otherwise a promise that resolves once the target accepted it and rejects if it refused.
   */
  publish(data: string): Promise<void> | undefined;
  close(): void;
}

export interface PublisherContext {
  host: string;
  port: number;
  channel: string;
  event: string;
  agent: Agent;
  timeoutMs: number;
}
