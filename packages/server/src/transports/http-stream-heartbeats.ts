import type { Clock, Timer } from '../clock.js';

/** A stream that writes its transport's heartbeat when told. */
export interface HeartbeatTarget {
  beat(): void;
}

interface HeartbeatGroup {
  members: Set<HeartbeatTarget>;
  timer: Timer;
}

/**
 * Heartbeats of every open stream on one interval per period, not one timer per stream. A stream's
 * first heartbeat comes at most one period after it opened, and the gap between two is never longer
 * than the period (what proxies' idle timeouts and pusher-js's 30 s activity check need).
 */
export class StreamHeartbeats {
  private readonly groups = new Map<number, HeartbeatGroup>();

  constructor(private readonly clock: Clock) {}

  add(target: HeartbeatTarget, everyMs: number): void {
    let group = this.groups.get(everyMs);
    if (group === undefined) {
      const members = new Set<HeartbeatTarget>();
      const timer = this.clock.setInterval(() => {
        for (const member of members) member.beat();
      }, everyMs);
      group = { members, timer };
      this.groups.set(everyMs, group);
    }
    group.members.add(target);
  }

  remove(target: HeartbeatTarget, everyMs: number): void {
    const group = this.groups.get(everyMs);
    if (group === undefined || !group.members.delete(target) || group.members.size > 0) return;
    this.clock.clearInterval(group.timer);
    this.groups.delete(everyMs);
  }
}
