/**
 * Every Redis key and pub/sub channel the Redis adapter uses, under one prefix. App ids and node ids
 * are percent-encoded so no id can forge another key; channel names cannot hold `:` (spec §5.1) but are
 * encoded too, for apps that relax the name rules.
 *
 * All keys of one deployment live under `{prefix}:`; the adapter needs one Redis (or a Sentinel-managed
 * primary), not Redis Cluster: its scripts touch keys of several channels at once.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Pub/sub: every node's fan-out messages. */
  get events(): string {
    return `${this.prefix}:events`;
  }

  /** Sorted set: node id → last heartbeat (Redis time, ms). */
  get nodes(): string {
    return `${this.prefix}:nodes`;
  }

  /** Set: what one node registered (subscriptions and presence entries), for restore and reaping. */
  nodeEntries(nodeId: string): string {
    return `${this.prefix}:node:${enc(nodeId)}:entries`;
  }

  /** Set: the HTTP session ids one node holds (each also has a `httpSession` key). */
  nodeHttpSessions(nodeId: string): string {
    return `${this.prefix}:node:${enc(nodeId)}:http-sessions`;
  }

  /** Pub/sub: requests forwarded to one node (HTTP sessions it holds). */
  nodeInbox(nodeId: string): string {
    return `${this.prefix}:node:${enc(nodeId)}:inbox`;
  }

  /** String: the node that holds an HTTP session. */
  httpSession(sessionId: string): string {
    return `${this.prefix}:http-session:${enc(sessionId)}`;
  }

  /** Set: occupied channel names of an app. */
  channelIndex(appId: string): string {
    return `${this.app(appId)}:channels`;
  }

  /** The app id a `channelIndex` key was made for; undefined for any other key. */
  appIdOfChannelIndex(key: string): string | undefined {
    const head = `${this.prefix}:app:`;
    const tail = ':channels';
    if (!key.startsWith(head) || !key.endsWith(tail) || key.length < head.length + tail.length)
      return undefined;
    try {
      return decodeURIComponent(key.slice(head.length, key.length - tail.length));
    } catch {
      return undefined;
    }
  }

  /** Set: socket ids subscribed to a channel. */
  subscribers(appId: string, channel: string): string {
    return `${this.app(appId)}:subs:${enc(channel)}`;
  }

  /** Hash: socket id → user id, in a presence channel. */
  presenceSockets(appId: string, channel: string): string {
    return `${this.app(appId)}:presence-sockets:${enc(channel)}`;
  }

  /** Hash: user id → that user's connections in a presence channel. */
  presenceCounts(appId: string, channel: string): string {
    return `${this.app(appId)}:presence-counts:${enc(channel)}`;
  }

  /** Hash: user id → the member JSON of the user's first connection. */
  presenceMembers(appId: string, channel: string): string {
    return `${this.app(appId)}:presence-members:${enc(channel)}`;
  }

  /** String: a cache channel's last event (JSON), with a TTL. */
  cache(appId: string, channel: string): string {
    return `${this.app(appId)}:cache:${enc(channel)}`;
  }

  private app(appId: string): string {
    return `${this.prefix}:app:${enc(appId)}`;
  }
}

const enc = (value: string): string => encodeURIComponent(value);
