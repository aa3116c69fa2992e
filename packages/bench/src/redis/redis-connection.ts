import { connect, type Socket } from 'node:net';
import { encodeCommand, RespError, RespReader, type RespValue } from './resp-reader.js';

/** Where a `redis://[[user]:password@]host[:port][/db]` URL points. */
export interface RedisAddress {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
}

const DEFAULT_PORT = 6379;

export function parseRedisUrl(url: string): RedisAddress {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:')
    throw new Error(`the bench speaks to Redis over redis:// only, got ${parsed.protocol}`);
  const db = parsed.pathname.replace(/^\//, '');
  const address: RedisAddress = {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
  };
  if (parsed.username !== '') address.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') address.password = decodeURIComponent(parsed.password);
  if (db !== '') {
    const number = Number(db);
    if (!Number.isInteger(number) || number < 0) throw new Error(`bad Redis database in ${url}`);
    address.db = number;
  }
  return address;
}

/** The URL without its password, for messages. */
export const redactRedisUrl = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');

interface Waiter {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
}

/**
 * One plain connection to Redis for the orchestrator (the servers under test use their own ioredis
 * connections): commands in, replies out in order. Any failure (network error, timeout, protocol
 * error) fails every pending command and closes the connection; `-ERR` replies reject their command.
 */
export class RedisConnection {
  private readonly reader = new RespReader();
  private readonly waiting: Waiter[] = [];
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly label: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      let replies: RespValue[];
      try {
        replies = this.reader.push(chunk);
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      for (const reply of replies) {
        const waiter = this.waiting.shift();
        if (!waiter) continue;
        if (reply instanceof RespError) waiter.reject(new Error(`${this.label}: ${reply.message}`));
        else waiter.resolve(reply);
      }
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error(`${label}: connection closed`)));
  }

  /** Connects (and authenticates and selects the database the URL names) within `timeoutMs`. */
  static async open(url: string, timeoutMs: number): Promise<RedisConnection> {
    const address = parseRedisUrl(url);
    const label = `Redis at ${redactRedisUrl(url)}`;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const candidate = connect({ host: address.host, port: address.port });
      const timer = setTimeout(() => {
        candidate.destroy();
        reject(new Error(`${label}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      candidate.once('connect', () => {
        clearTimeout(timer);
        candidate.removeAllListeners('error');
        resolve(candidate);
      });
      candidate.once('error', (error) => {
        clearTimeout(timer);
        candidate.destroy();
        reject(new Error(`${label}: ${error.message}`));
      });
    });
    socket.setNoDelay(true);
    const connection = new RedisConnection(socket, label);
    try {
      if (address.password !== undefined) {
        const auth =
          address.username !== undefined
            ? ['AUTH', address.username, address.password]
            : ['AUTH', address.password];
        await connection.command(auth, timeoutMs);
      }
      if (address.db !== undefined) await connection.command(['SELECT', String(address.db)], timeoutMs);
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  /** Sends one command; resolves with its reply, rejects on `-ERR`, on failure and after `timeoutMs`. */
  command(args: readonly string[], timeoutMs: number): Promise<RespValue> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<RespValue>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`${this.label}: ${args[0] ?? '?'} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting.push({
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.fail(new Error(`${this.label}: closed`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.socket.destroy();
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}
