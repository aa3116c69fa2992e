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
import type { LocalRecipient } from './channels/local-recipient.js';
import { SessionChannels } from './channels/session-channels.js';
import { ClientEventLimiter } from './client-event-limiter.js';
import { Heartbeat } from './heartbeat.js';
import { relayClientEvent } from './session-client-events.js';
import type { SessionServices } from './session-services.js';
import type { ServerTransport, TransportCloseContext } from './transports/transport.js';

const PONG_FRAME = encodeFrame({ event: PusherEvent.Pong, data: {} });

/**
 * One logical client over any ServerTransport: the same code serves WebSocket and every HTTP transport.
 * Frames are decoded once at the edge; each is handled in arrival order (a chain of promises, so an
 * async adapter never reorders a subscribe and the unsubscribe that follows it).
 */
export class Session implements LocalRecipient {
  private readonly channels: SessionChannels;
  private readonly limiter: ClientEventLimiter;
  private readonly heartbeat: Heartbeat | undefined;
  private userId: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private ending = false;
  private ended = false;

  constructor(
    private readonly services: SessionServices,
    readonly app: AppConfig,
    readonly socketId: string,
    readonly transport: ServerTransport,
  ) {
    this.channels = new SessionChannels(services, app, this, () => this.userId);
    this.limiter = new ClientEventLimiter(services.clock, app.maxClientEventsPerSecond);
    const ping = transport.ping?.bind(transport);
    if (ping !== undefined) {
      this.heartbeat = new Heartbeat(
        services.clock,
        { intervalMs: services.options.heartbeatIntervalMs, timeoutMs: services.options.pongTimeoutMs },
        { ping, dead: () => this.closeUnresponsive() },
      );
    }
  }

  /** Sends `connection_established` as the first and only pre-handshake frame, then starts listening. */
  start(): void {
    this.transport.on('frame', ({ raw }) => this.receive(raw));
    this.transport.on('close', (context) => this.end(context));
    this.transport.send(
      encodeFrame({
        event: PusherEvent.ConnectionEstablished,
        data: { socket_id: this.socketId, activity_timeout: this.services.options.activityTimeoutSeconds },
      }),
    );
    this.heartbeat?.start();
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

  private receive(raw: string | ArrayBuffer | Uint8Array): void {
    if (this.ending) return;
    this.heartbeat?.alive();
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

  private closeUnresponsive(): void {
    this.closeWith(CloseCode.PongNotReceived, 'Pong reply not received');
    this.services.clock.setTimeout(() => this.transport.terminate(), this.services.options.closeGraceMs);
  }

  private sendError(code: number | null, message: string): void {
    this.send(encodeFrame({ event: PusherEvent.Error, data: { code, message } }));
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.services.events.emit('error', { error, context: `session ${this.socketId}` });
    });
  }

  /** The transport closed: leave every channel (after any frame still in progress), then report. */
  private end(context: TransportCloseContext): void {
    if (this.ended) return;
    this.ended = true;
    this.ending = true;
    this.heartbeat?.stop();
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
