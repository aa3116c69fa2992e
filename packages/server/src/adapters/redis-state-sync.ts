import type { PresenceMember } from '@tether/protocol';
import type { ClusterChange } from './adapter.js';
import type { RedisClusterState, ReapedMember } from './redis-cluster-state.js';
import { parseEntry, type StoredEntry } from './redis-entries.js';

/** One thing this node holds: a subscription, or a presence connection with its member entry. */
export interface Registration {
  appId: string;
  entry: StoredEntry;
  member?: PresenceMember;
  /** True once Redis has held it: when Redis no longer does, this node was reaped and others reported it gone. */
  inRedis: boolean;
}

export interface JoinedMember {
  appId: string;
  channel: string;
  /** The connection that joined (it does not get its own member_added). */
  socketId: string;
  member: PresenceMember;
}

export interface ResyncChanges {
  /** Users whose first connection this re-registered: announce `member_added`. */
  joined: JoinedMember[];
  /** Users whose last connection this removed: announce `member_removed`. */
  left: ReapedMember[];
  /**
   * Transitions undoing a reap of this node (registrations Redis held before, gone now): the reaper reported
   * them vacated and removed, so they are reported occupied and added again, channels first. Registrations
   * made while Redis was away are not here: the session reported them from this node's own state then.
   */
  rejoined: ClusterChange[];
}

/**
 * Makes Redis hold exactly what this node holds: removes the entries Redis has that the node dropped
 * while Redis was away, adds back what the node gained meanwhile (or everything, after being reaped).
 * Each step is one atomic script, so other nodes' concurrent changes keep their transitions right.
 */
export async function resyncNode(
  state: RedisClusterState,
  registered: ReadonlyMap<string, Registration>,
): Promise<ResyncChanges> {
  const stored = new Set(await state.storedEntries());
  const changes: ResyncChanges = { joined: [], left: [], rejoined: [] };
  const occupied: ClusterChange[] = [];
  const added: ClusterChange[] = [];
  for (const raw of stored) {
    if (registered.has(raw)) continue;
    const entry = parseEntry(raw);
    if (entry === undefined) {
      await state.forgetEntry(raw);
      continue;
    }
    if (entry.kind === 's') {
      await state.unsubscribe(entry);
      continue;
    }
    const left = await state.removeMember(entry);
    if (left.transition && left.userId !== undefined)
      changes.left.push({ appId: entry.appId, channel: entry.channel, userId: left.userId });
  }
  for (const [raw, registration] of [...registered]) {
    const { entry, member, inRedis } = registration;
    if (stored.has(raw)) {
      registration.inRedis = true;
      continue;
    }
    if (entry.kind === 's') {
      const subscribed = await state.subscribe(entry);
      registration.inRedis = true;
      if (subscribed.transition && inRedis)
        occupied.push({ kind: 'channel_occupied', appId: registration.appId, channel: entry.channel });
      continue;
    }
    if (member === undefined) continue;
    const joined = await state.addMember(entry, member);
    registration.inRedis = true;
    if (!joined.transition) continue;
    changes.joined.push({ appId: entry.appId, channel: entry.channel, socketId: entry.socketId, member });
    if (inRedis)
      added.push({
        kind: 'member_added',
        appId: entry.appId,
        channel: entry.channel,
        userId: member.user_id,
      });
  }
  changes.rejoined = [...occupied, ...added];
  return changes;
}
