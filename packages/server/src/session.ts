import {
  CloseCode,
  decodeClientFrame,
  encodeFrame,
  parseUserData,
  PusherEvent,
  type ClientFrame,
} from '@tether/protocol';
import type { AppConfig } from './app-config.js';
import { verifyUserAuth } from './auth/authorizer.js';
import { SessionChannels, type ChannelSubscriber } from './channels/session-channels.js';
import { ClientEventLimiter } from './client-event-limiter.js';
import { HEARTBEAT_STOPPED, type HeartbeatPeer } from './heartbeat.js';
import { relayClientEvent } from './session-client-events.js';
import type { SessionServices } from './session-services.js';
import type {
  ServerTransport,
  TransportCloseContext,
  TransportFrameContext,
  TransportReceiver,
} from './transports/transport.js';

const PONG_FRAME = encodeFrame({ event: PusherEvent.Pong, data: {} });

/**
 * One logical client over any ServerTransport: the same code serves WebSocket and every HTTP transport.
 * Frames are decoded once at the edge; each is handled in arrival order (a chain of promises, so an
 * async adapter never reorders a subscribe and the unsubscribe that follows it).
 *
 * One lives per connection, so it holds no closure, timer or collection it does not need yet: the
 * transport calls its `transport*` methods (`setReceiver`), the server's heartbeat sweep watches it through
 * `unansweredPing`, and the client-event limiter and the promise chain exist only once used.
 */
export class Session implements ChannelSubscriber, TransportReceiver, HeartbeatPeer {
  /** See HeartbeatPeer: the server's sweep pings through `ping()` and marks the ping here. */
  unansweredPing = 0;
  private readonly channels: SessionChannels;
  /** Created at the first client event (and never when the app does not limit them). */
  private limiter: ClientEventLimiter | undefined = undefined;
  private userId: string | undefined = undefined;
  /** The frame being handled and those queued behind it; undefined when idle. */
  private queue: Promise<void> | undefined = undefined;
  private ending = false;
  private ended = false;

  constructor(
    private readonly services: SessionServices,
    readonly app: AppConfig,
    readonly socketId: string,
    readonly transport: ServerTransport,
  ) {
    this.channels = new SessionChannels(services, app, this);
  }

  /** Sends `connection_established` as the first and only pre-handshake frame, then starts listening. */
  start(): void {
    const transport = this.transport;
    if (transport.setReceiver !== undefined) transport.setReceiver(this);
    else {
      transport.on('frame', ({ raw }) => this.transportFrame(raw));
      transport.on('close', (context) => this.transportClosed(context));
    }
    transport.send(
      encodeFrame({
        event: PusherEvent.ConnectionEstablished,
        data: { socket_id: this.socketId, activity_timeout: this.services.options.activityTimeoutSeconds },
      }),
    );
  }

  get user(): string | undefined {
    return this.userId;
  }

  send(frame: string): void {
    if (!this.ending) this.transport.send(frame);
  }

  /** `pusher:error {code, message}` and then the close code: every server-initiated close goes this way. */
  closeWith(code: number, message: string): void {
    if (this.ending) return;
    this.sendError(code, message);
    this.ending = true;
    this.transport.close(code, message);
  }

  terminateAsUser(): void {
    this.closeWith(CloseCode.Unauthorized, 'The user was terminated');
  }

  /** TransportReceiver: one client frame. */
  transportFrame(raw: TransportFrameContext['raw']): void {
    if (this.ending) return;
    this.transportPong();
    const decoded = decodeClientFrame(raw, {
      maxFrameBytes: this.services.options.maxFrameBytes,
      maxEventNameLength: this.app.maxEventNameLength,
    });
    if (!decoded.ok) {
      const { closeCode, message } = decoded.error;
      if (closeCode === null) this.sendError(null, message);
      else this.closeWith(closeCode, message);
      return;
    }
    const frame = decoded.frame;
    if (frame.event === PusherEvent.Ping) {
      this.send(PONG_FRAME);
      return;
    }
    this.enqueue(() => this.handle(frame));
  }

  private async handle(frame: Exclude<ClientFrame, { event: typeof PusherEvent.Ping }>): Promise<void> {
    if (this.ending) return;
    switch (frame.event) {
      case PusherEvent.Pong:
        return;
      case PusherEvent.Subscribe:
        await this.channels.subscribe(frame.data);
        return;
      case PusherEvent.Unsubscribe:
        await this.channels.unsubscribe(frame.data.channel);
        return;
      case PusherEvent.Signin:
        this.signin(frame.data.auth, frame.data.user_data);
        return;
      default: {
        const rate = this.app.maxClientEventsPerSecond;
        if (rate > 0) this.limiter ??= new ClientEventLimiter(this.services.clock, rate);
        const rejected = await relayClientEvent(
          this.services,
          this.app,
          this.socketId,
          this.channels,
          this.limiter,
          frame,
        );
        if (rejected !== undefined) this.sendError(rejected.code, rejected.message);
      }
    }
  }

  /** TransportReceiver: a pong, or (from `transportFrame`) any other sign of life. */
  transportPong(): void {
    if (this.unansweredPing > 0) this.unansweredPing = 0;
  }

  /** TransportReceiver: the transport closed. */
  transportClosed(context: TransportCloseContext): void {
    this.end(context);
  }

  /** HeartbeatPeer: a protocol ping when the transport has them (WebSocket) and is still open. */
  ping(): boolean {
    const transport = this.transport;
    if (this.ended || transport.ping === undefined) return false;
    if (transport.setReceiver !== undefined) transport.ping();
    else transport.ping(() => this.transportPong());
    return true;
  }

  /** HeartbeatPeer: no pong in time. `pusher:error` + 4201, and the socket is cut after the grace period. */
  unresponsive(): void {
    if (this.ended) return;
    this.closeWith(CloseCode.PongNotReceived, 'Pong reply not received');
    this.services.clock.setTimeout(() => this.transport.terminate(), this.services.options.closeGraceMs);
  }

  private signin(auth: string, userData: string): void {
    const verified = verifyUserAuth(this.app, this.socketId, auth, userData);
    if (!verified.ok) {
      this.closeWith(CloseCode.Unauthorized, verified.error.reason);
      return;
    }
    const user = parseUserData(userData);
    if (!user.ok) {
      this.closeWith(CloseCode.Unauthorized, user.error.message);
      return;
    }
    if (this.userId !== undefined) this.services.registry.removeUser(this.app.id, this.userId, this);
    this.userId = user.value.id;
    this.services.registry.addUser(this.app.id, this.userId, this);
    this.send(encodeFrame({ event: PusherEvent.SigninSuccess, data: { user_data: userData } }));
  }

  private sendError(code: number | null, message: string): void {
    this.send(encodeFrame({ event: PusherEvent.Error, data: { code, message } }));
  }

  private enqueue(task: () => Promise<void>): void {
    const queued = (this.queue ?? Promise.resolve()).then(task).catch((error: unknown) => {
      this.services.events.emit('error', { error, context: `session ${this.socketId}` });
    });
    this.queue = queued;
    // Idle again once the last queued frame is done: nothing to keep between frames.
    void queued.then(() => {
      if (this.queue === queued) this.queue = undefined;
    });
  }

  /** The transport closed: leave every channel (after any frame still in progress), then report. */
  private end(context: TransportCloseContext): void {
    if (this.ended) return;
    this.ended = true;
    this.ending = true;
    this.unansweredPing = HEARTBEAT_STOPPED;
    if (this.userId !== undefined) this.services.registry.removeUser(this.app.id, this.userId, this);
    this.enqueue(async () => {
      try {
        await this.channels.leaveAll();
      } finally {
        this.services.sessionEnded(this);
      }
      this.services.events.emit('disconnection', {
        app: this.app,
        socketId: this.socketId,
        transport: this.transport.name,
        code: context.code,
        reason: context.reason,
      });
    });
  }
}
