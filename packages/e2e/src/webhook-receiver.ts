import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhookEvent {
  name: string;
  channel: string;
  user_id?: string;
  /** client_event only: */
  event?: string;
  data?: string;
  socket_id?: string;
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  events: ReceivedWebhookEvent[];
  /** Date.now() when the POST had been read. */
  receivedAt: number;
}

/** An app's webhook endpoint on 127.0.0.1:0: records every POST; `until` awaits the events a test expects. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const holder: { receiver?: WebhookReceiver } = {};
    const server = createServer((req, res) => {
      let rawBody = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (rawBody += chunk));
      req.on('end', () => {
        const receiver = holder.receiver;
        res.end();
        if (receiver === undefined) return;
        receiver.received.push({
          headers: req.headers,
          rawBody,
          receivedAt: Date.now(),
          events: (JSON.parse(rawBody) as { events: ReceivedWebhookEvent[] }).events,
        });
        for (const wake of receiver.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.receiver = new WebhookReceiver(server);
    return holder.receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks`;
  }

  /** Every event received so far, in arrival order. */
  events(): ReceivedWebhookEvent[] {
    return this.received.flatMap((post) => post.events);
  }

  /** Resolves once `predicate` holds for the events received, rejects after `timeoutMs` with what came. */
  async until(
    predicate: (events: ReceivedWebhookEvent[]) => boolean,
    timeoutMs = 5_000,
  ): Promise<ReceivedWebhookEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events())) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`webhooks so far: ${JSON.stringify(this.events())}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
