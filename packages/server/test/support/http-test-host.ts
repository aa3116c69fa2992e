import {
  CloseCode,
  decodeFrame,
  encodeFrame,
  isClientEventName,
  PusherEvent,
  checkProtocolVersion,
} from '@tether/protocol';
import type {
  ServerTransport,
  SessionHost,
  SessionOpenRequest,
  SessionOpenResult,
  TransportCloseContext,
} from '../../src/transports/transport.js';

export const TEST_APP_KEY = 'app-key';
export const TEST_ACTIVITY_TIMEOUT = 120;

export interface TestConnection {
  socketId: string;
  transport: ServerTransport;
  /** Raw client frames in arrival order. */
  frames: string[];
  channels: Set<string>;
  closed: TransportCloseContext | null;
}

/**
 * A tiny core for transport tests: accepts `app-key`, refuses others with 4001, sends a real
 * `connection_established`, answers `pusher:ping` with `pusher:pong`, acknowledges subscribes and relays
 * `client-*` events to the other connections subscribed to the channel.
 */
export class HttpTestHost implements SessionHost {
  readonly connections: TestConnection[] = [];
  private nextId = 1;
  private readonly waiters: (() => void)[] = [];

  openSession(request: SessionOpenRequest): SessionOpenResult {
    if (request.key !== TEST_APP_KEY)
      return {
        ok: false,
        closeCode: CloseCode.AppNotFound,
        reason: `App key ${request.key} not in this cluster`,
      };
    const protocol = checkProtocolVersion(request.query.get('protocol'));
    if (!protocol.ok) return protocol;
    const socketId = `${this.nextId}.${1000 + this.nextId}`;
    this.nextId += 1;
    const connection: TestConnection = {
      socketId,
      transport: request.transport,
      frames: [],
      channels: new Set(),
      closed: null,
    };
    this.connections.push(connection);
    request.transport.on('frame', ({ raw }) => this.onFrame(connection, typeof raw === 'string' ? raw : ''));
    request.transport.on('close', (context) => {
      connection.closed = context;
      this.notify();
    });
    request.transport.send(
      encodeFrame({
        event: PusherEvent.ConnectionEstablished,
        data: { socket_id: socketId, activity_timeout: TEST_ACTIVITY_TIMEOUT },
      }),
    );
    this.notify();
    return { ok: true, socketId };
  }

  /** The newest connection. */
  get last(): TestConnection {
    const connection = this.connections.at(-1);
    if (!connection) throw new Error('no connection yet');
    return connection;
  }

  /** Resolves when `predicate` holds, checked after every host event; rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('HttpTestHost.until timed out')), timeoutMs);
      const check = (): void => {
        if (predicate()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private notify(): void {
    const waiting = this.waiters.splice(0);
    for (const check of waiting) check();
  }

  private onFrame(connection: TestConnection, raw: string): void {
    connection.frames.push(raw);
    const decoded = decodeFrame(raw);
    if (decoded.ok) {
      const { event, channel, data } = decoded.frame;
      if (event === PusherEvent.Ping)
        connection.transport.send(encodeFrame({ event: PusherEvent.Pong, data: {} }));
      else if (event === PusherEvent.Subscribe) {
        const name = (data as { channel?: unknown } | undefined)?.channel;
        if (typeof name === 'string') {
          connection.channels.add(name);
          connection.transport.send(
            encodeFrame({ event: PusherEvent.SubscriptionSucceeded, channel: name, data: {} }),
          );
        }
      } else if (isClientEventName(event) && channel !== undefined) {
        const frame = encodeFrame({ event, channel, data });
        for (const other of this.connections) {
          if (other !== connection && other.closed === null && other.channels.has(channel))
            other.transport.send(frame);
        }
      }
    }
    this.notify();
  }
}
