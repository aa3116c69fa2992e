import { describe, expect, it } from 'vitest';
import { MemoryAdapter } from './adapters/memory-adapter.js';
import { resolveApp, type AppInput } from './app-config.js';
import { signWithSecret } from './auth/authorizer.js';
import { ChannelRegistry } from './channels/channel-registry.js';
import { systemClock, type Clock } from './clock.js';
import { HEARTBEAT_STOPPED } from './heartbeat.js';
import { tetherServerDefaults } from './options.js';
import { ServerEventEmitter } from './server-event-emitter.js';
import { Session } from './session.js';
import type {
  ServerTransport,
  ServerTransportEvents,
  TransportListener,
  TransportReceiver,
} from './transports/transport.js';

/** A WebSocket-like transport that hands its events to one receiver (what WebSocketTransport does). */
class ReceiverTransport implements ServerTransport {
  readonly name = 'websocket';
  readonly remoteAddress = undefined;
  readonly sent: string[] = [];
  pings = 0;
  receiver: TransportReceiver | undefined;
  send(frame: string): void {
    this.sent.push(frame);
  }
  close(): void {}
  terminate(): void {}
  ping(): void {
    this.pings += 1;
  }
  on(): void {
    throw new Error('a transport with setReceiver gets no listeners');
  }
  setReceiver(receiver: TransportReceiver): void {
    this.receiver = receiver;
  }
  frame(frame: object): void {
    this.receiver?.transportFrame(JSON.stringify(frame));
  }
}

/** An HTTP-like transport: `on()` listeners only, no ping. */
class ListenerTransport implements ServerTransport {
  readonly name = 'sse';
  readonly remoteAddress = undefined;
  readonly sent: string[] = [];
  readonly frames: TransportListener<'frame'>[] = [];
  readonly closes: TransportListener<'close'>[] = [];
  send(frame: string): void {
    this.sent.push(frame);
  }
  close(): void {}
  terminate(): void {}
  on<K extends keyof ServerTransportEvents>(event: K, listener: TransportListener<K>): void {
    if (event === 'frame') this.frames.push(listener as TransportListener<'frame'>);
    else this.closes.push(listener as TransportListener<'close'>);
  }
  frame(frame: object): void {
    for (const listener of this.frames) listener({ raw: JSON.stringify(frame) });
  }
}

/** Frozen time: a token bucket never refills unless the test moves it. */
function frozenClock(): Clock & { at: number } {
  const clock = { ...systemClock, at: 1_000_000, now: () => clock.at };
  return clock;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function start<T extends ServerTransport>(
  transport: T,
  input: Partial<AppInput> = {},
  clock = frozenClock(),
) {
  const app = resolveApp({ id: 'app', key: 'key', secret: 'secret', clientEvents: true, ...input });
  const adapter = new MemoryAdapter(clock);
  const registry = new ChannelRegistry();
  adapter.init((message) => registry.deliver(message));
  const ended: Session[] = [];
  const services = {
    clock,
    adapter,
    registry,
    events: new ServerEventEmitter(),
    options: tetherServerDefaults,
    sessionEnded: (session: Session) => ended.push(session),
  };
  const session = new Session(services, app, '1.1', transport);
  session.start();
  const subscribe = (channel: string): object => ({
    event: 'pusher:subscribe',
    data: { channel, auth: `key:${signWithSecret('secret', `1.1:${channel}`)}` },
  });
  return { session, clock, ended, subscribe, registry };
}

const rateLimited = (sent: string[]): number =>
  sent.filter((frame) => frame.includes('pusher:error') && frame.includes('4301')).length;

describe('Session', () => {
  it('the client-event limiter, made at the first client event, still limits to the app rate', async () => {
    const transport = new ReceiverTransport();
    const { subscribe, clock } = start(transport, { maxClientEventsPerSecond: 3 });
    transport.frame(subscribe('private-a'));
    await settle();
    // Long idle before the first event: the bucket is full (the rate), as it was when made at connect.
    clock.at += 60_000;
    for (let i = 0; i < 5; i += 1) transport.frame({ event: 'client-x', channel: 'private-a', data: {} });
    await settle();
    expect(rateLimited(transport.sent)).toBe(2);
    clock.at += 1_000;
    for (let i = 0; i < 4; i += 1) transport.frame({ event: 'client-x', channel: 'private-a', data: {} });
    await settle();
    expect(rateLimited(transport.sent)).toBe(3);
  });

  it('an app with no client-event rate (0) is never limited', async () => {
    const transport = new ReceiverTransport();
    const { subscribe } = start(transport, { maxClientEventsPerSecond: 0 });
    transport.frame(subscribe('private-a'));
    for (let i = 0; i < 50; i += 1) transport.frame({ event: 'client-x', channel: 'private-a', data: {} });
    await settle();
    expect(rateLimited(transport.sent)).toBe(0);
  });

  it('takes frames and the close through a transport with only on() listeners', async () => {
    const transport = new ListenerTransport();
    const { session, subscribe, ended } = start(transport);
    expect(transport.sent[0]).toContain('pusher:connection_established');
    transport.frame(subscribe('private-a'));
    await settle();
    expect(transport.sent.at(-1)).toContain('pusher_internal:subscription_succeeded');
    expect(session.ping()).toBe(false);
    for (const listener of transport.closes) listener({ code: 1000, reason: '', wasClean: true });
    await settle();
    expect(ended).toEqual([session]);
  });

  it('as a heartbeat peer: pings its transport, any frame or pong clears the mark, the end stops it', async () => {
    const transport = new ReceiverTransport();
    const { session, ended } = start(transport);
    session.unansweredPing = 7;
    expect(session.ping()).toBe(true);
    expect(transport.pings).toBe(1);
    transport.receiver?.transportPong();
    expect(session.unansweredPing).toBe(0);
    session.unansweredPing = 8;
    transport.frame({ event: 'pusher:ping', data: {} });
    expect(session.unansweredPing).toBe(0);
    transport.receiver?.transportClosed({ code: 1006, reason: '', wasClean: false });
    expect(session.unansweredPing).toBe(HEARTBEAT_STOPPED);
    expect(session.ping()).toBe(false);
    transport.receiver?.transportPong();
    expect(session.unansweredPing).toBe(HEARTBEAT_STOPPED);
    await settle();
    expect(ended).toEqual([session]);
  });

  it('keeps a second channel beside the first, and leaves both when the transport closes', async () => {
    const transport = new ReceiverTransport();
    const { session, subscribe, registry, ended } = start(transport);
    transport.frame(subscribe('private-a'));
    transport.frame(subscribe('private-b'));
    transport.frame(subscribe('private-c'));
    transport.frame(subscribe('private-a'));
    await settle();
    expect(transport.sent.filter((frame) => frame.includes('subscription_succeeded'))).toHaveLength(4);
    transport.frame({ event: 'pusher:unsubscribe', data: { channel: 'private-a' } });
    transport.frame({ event: 'client-x', channel: 'private-a', data: {} });
    transport.frame({ event: 'client-x', channel: 'private-b', data: {} });
    await settle();
    const notSubscribed = (channel: string): number =>
      transport.sent.filter((frame) => frame.includes(`Subscribe to ${channel}`)).length;
    expect([notSubscribed('private-a'), notSubscribed('private-b')]).toEqual([1, 0]);
    expect(
      ['private-a', 'private-b', 'private-c'].map((c) => registry.localSubscriberCount('app', c)),
    ).toEqual([0, 1, 1]);
    transport.receiver?.transportClosed({ code: 1000, reason: '', wasClean: true });
    await settle();
    expect(ended).toEqual([session]);
    expect(['private-b', 'private-c'].map((c) => registry.localSubscriberCount('app', c))).toEqual([0, 0]);
  });
});
