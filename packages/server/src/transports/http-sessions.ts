import { checkProtocolVersion } from '@tether/protocol';
import type { RemoteHttpSessions } from '../cluster/remote-http-sessions.js';
import type { Clock } from '../clock.js';
import type { HttpFallbackLimits } from './http-fallback-options.js';
import { ExpiryQueue } from './http-expiry-queue.js';
import { HttpSession } from './http-session.js';
import { HttpTurnFlush } from './http-turn-flush.js';
import type { ServerTransportName, SessionHost } from './transport.js';

export interface OpenHttpSessionRequest {
  /** Table key: Tether's server-issued id, or the pusher-js `{server}/{session}` pair qualified by app key. */
  id: string;
  key: string;
  name: ServerTransportName;
  query: URLSearchParams;
  remoteAddress: string | undefined;
  reattachable: boolean;
}

export type OpenHttpSessionResult =
  { ok: true; session: HttpSession } | { ok: false; closeCode: number; reason: string };

/**
 * Every HTTP session of one server, open or tombstoned. Sessions leave the table by themselves when
 * they expire; `closeAll` empties it.
 */
export class HttpSessions {
  private readonly table = new Map<string, HttpSession>();
  private readonly settledWaiters = new Set<() => void>();
  private readonly collection: ExpiryQueue;
  private readonly turn = new HttpTurnFlush();

  constructor(
    private readonly host: SessionHost,
    private readonly clock: Clock,
    private readonly limits: HttpFallbackLimits,
    /** In a cluster: told which sessions this node holds, so other nodes forward their requests here. */
    private readonly remote?: Pick<RemoteHttpSessions, 'opened' | 'forgotten'>,
  ) {
    this.collection = new ExpiryQueue(clock, limits.sessionGcMs);
  }

  get(id: string): HttpSession | undefined {
    return this.table.get(id);
  }

  /** Sessions held, tombstones included. */
  get size(): number {
    return this.table.size;
  }

  /** Sessions still carrying frames. */
  openCount(): number {
    let count = 0;
    for (const session of this.table.values()) if (session.state === 'open') count += 1;
    return count;
  }

  /**
   * Checks the protocol version, starts a session on the core and, when it accepts, keeps it.
   * A refused session is dropped without a trace (the core never saw it).
   */
  open(request: OpenHttpSessionRequest): OpenHttpSessionResult {
    const protocol = checkProtocolVersion(request.query.get('protocol'));
    if (!protocol.ok) return { ok: false, closeCode: protocol.closeCode, reason: protocol.reason };
    const session = new HttpSession({
      id: request.id,
      key: request.key,
      name: request.name,
      remoteAddress: request.remoteAddress,
      limits: this.limits,
      collection: this.collection,
      turn: this.turn,
      reattachable: request.reattachable,
      onForget: (forgotten) => {
        if (this.table.get(forgotten.id) === forgotten) {
          this.table.delete(forgotten.id);
          this.remote?.forgotten(forgotten.id);
        }
        this.notifySettled();
      },
      onCloseDelivered: () => this.notifySettled(),
    });
    const result = this.host.openSession({ key: request.key, query: request.query, transport: session });
    if (!result.ok) {
      session.dispose();
      return result;
    }
    this.table.set(session.id, session);
    this.remote?.opened(session.id);
    return { ok: true, session };
  }

  /** Sessions closed with a code that has not reached their client yet. */
  pendingCloseCount(): number {
    let count = 0;
    for (const session of this.table.values()) if (session.closePending) count += 1;
    return count;
  }

  /**
   * Resolves once every closed session has handed its close to a receive request (so a polling client
   * that was between two polls still learns the code on its next poll), or after `ms`.
   */
  closesDelivered(ms: number): Promise<void> {
    if (this.pendingCloseCount() === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.clock.clearTimeout(timer);
        this.settledWaiters.delete(check);
        resolve();
      };
      const check = (): void => {
        if (this.pendingCloseCount() === 0) done();
      };
      const timer = this.clock.setTimeout(done, ms);
      this.settledWaiters.add(check);
    });
  }

  private notifySettled(): void {
    for (const waiter of [...this.settledWaiters]) waiter();
  }

  /** Closes every open session with `code` (delivered to any attached receive request), then forgets them all. */
  closeAll(code: number, reason: string): void {
    const sessions = [...this.table.values()];
    for (const session of sessions) session.close(code, reason);
    for (const session of sessions) session.dispose();
    this.table.clear();
  }
}
