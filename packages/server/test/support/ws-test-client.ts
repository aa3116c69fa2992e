import { createHmac } from 'node:crypto';
import WebSocket from 'ws';

export interface WireMessage {
  event: string;
  channel?: string;
  data?: unknown;
  user_id?: string;
  /** `data` parsed once more when it is a JSON string (server frames are double-encoded). */
  parsed: unknown;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/** A raw `ws` client that queues every server frame, so tests await exactly the frame they expect. */
export class WsTestClient {
  readonly received: WireMessage[] = [];
  readonly closed: Promise<CloseInfo>;
  private cursor = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const raw = JSON.parse((data as Buffer).toString('utf8')) as Omit<WireMessage, 'parsed'>;
      let parsed: unknown = raw.data;
      if (typeof raw.data === 'string') {
        try {
          parsed = JSON.parse(raw.data);
        } catch {
          parsed = raw.data;
        }
      }
      this.received.push({ ...raw, parsed });
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    socket.on('error', () => undefined);
  }

  static open(url: string): Promise<WsTestClient> {
    const socket = new WebSocket(url);
    const client = new WsTestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Opens and waits for `connection_established`; resolves with the client and its socket id. */
  static async connect(url: string): Promise<{ client: WsTestClient; socketId: string }> {
    const client = await WsTestClient.open(url);
    const first = await client.next();
    if (first.event !== 'pusher:connection_established') throw new Error(`first frame was ${first.event}`);
    return { client, socketId: (first.parsed as { socket_id: string }).socket_id };
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame (after the ones already consumed) matching `predicate`; earlier non-matching frames are skipped. */
  async next(
    predicate: (message: WireMessage) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<WireMessage> {
    let found: WireMessage | undefined;
    await this.waitUntil(() => {
      while (found === undefined && this.cursor < this.received.length) {
        const message = this.received[this.cursor];
        this.cursor += 1;
        if (message !== undefined && predicate(message)) found = message;
      }
      return found !== undefined;
    }, timeoutMs);
    return found as WireMessage;
  }

  nextEvent(event: string, channel?: string, timeoutMs?: number): Promise<WireMessage> {
    return this.next((m) => m.event === event && (channel === undefined || m.channel === channel), timeoutMs);
  }

  /**
   * A ping/pong round trip: every frame the server sent this client before answering is now in `received`.
   * Use it to assert that something did NOT arrive. Does not move the cursor.
   */
  async sync(): Promise<void> {
    const before = this.received.length;
    this.send({ event: 'pusher:ping', data: {} });
    await this.waitUntil(() => this.received.slice(before).some((m) => m.event === 'pusher:pong'), 5000);
  }

  private async waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (done()) return;
      if (this.socket.readyState === WebSocket.CLOSED)
        throw new Error('socket closed while waiting for a frame');
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms; got ${JSON.stringify(this.received.map((m) => m.event))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Frames received so far that match (consumed or not). */
  all(predicate: (message: WireMessage) => boolean): WireMessage[] {
    return this.received.filter(predicate);
  }

  async subscribe(
    channel: string,
    extra: { auth?: string; channel_data?: string } = {},
  ): Promise<WireMessage> {
    this.send({ event: 'pusher:subscribe', data: { channel, auth: '', ...extra } });
    return this.next(
      (m) =>
        m.channel === channel &&
        (m.event === 'pusher_internal:subscription_succeeded' || m.event === 'pusher:subscription_error'),
    );
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING)
      this.socket.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

export const sign = (secret: string, value: string): string =>
  createHmac('sha256', secret).update(value).digest('hex');

/** `auth` for a private channel, computed independently of the server's authorizer. */
export const privateAuth = (key: string, secret: string, socketId: string, channel: string): string =>
  `${key}:${sign(secret, `${socketId}:${channel}`)}`;

export const presenceAuth = (
  key: string,
  secret: string,
  socketId: string,
  channel: string,
  channelData: string,
): string => `${key}:${sign(secret, `${socketId}:${channel}:${channelData}`)}`;

export const userAuth = (key: string, secret: string, socketId: string, userData: string): string =>
  `${key}:${sign(secret, `${socketId}::user::${userData}`)}`;

/** Closes every client a test opened. */
export class ClientPool {
  private readonly clients: WsTestClient[] = [];
  constructor(private readonly url: (path: string) => string) {}

  async connect(path = '/app/app-key?protocol=7'): Promise<{ client: WsTestClient; socketId: string }> {
    const result = await WsTestClient.connect(this.url(path));
    this.clients.push(result.client);
    return result;
  }

  async open(path: string): Promise<WsTestClient> {
    const client = await WsTestClient.open(this.url(path));
    this.clients.push(client);
    return client;
  }

  closeAll(): void {
    for (const client of this.clients.splice(0)) client.close();
  }
}
