/** Everything the chat example can be told, with every default in one place. */
export interface ChatOptions {
  /** TCP port of the page, the auth route and the realtime server (one origin). 0 picks a free port. */
  port: number;
  /** Interface to listen on: 127.0.0.1 keeps the demo private; 0.0.0.0 shares it on your network. */
  host: string;
  /** Messages kept per room and shown to whoever joins. */
  historyPerRoom: number;
  /** Rooms with history kept in memory; the least recently used room is forgotten first. */
  maxRooms: number;
  /** Credentials of the one Tether app the example serves. */
  app: { id: string; key: string; secret: string };
  /**
   * Redis URL for running several chat processes behind one load balancer: Tether's Redis adapter
   * then shares channels, presence and fan-out. The recent-message history stays per process.
   */
  redisUrl: string | undefined;
}

export const chatDefaults = {
  port: 3000,
  host: '127.0.0.1',
  historyPerRoom: 50,
  maxRooms: 200,
  app: { id: 'app-id', key: 'app-key', secret: 'app-secret' },
  redisUrl: undefined,
} as const satisfies ChatOptions;

/** The environment variables the example reads. */
export const CHAT_ENV = {
  port: 'PORT',
  host: 'HOST',
  redisUrl: 'TETHER_REDIS_URL',
  appId: 'TETHER_APP_ID',
  appKey: 'TETHER_APP_KEY',
  appSecret: 'TETHER_APP_SECRET',
} as const;

const MAX_PORT = 65_535;

export type ChatOptionsResult = { ok: true; options: ChatOptions } | { ok: false; error: string };

/** Options from environment variables; a malformed value is reported, never guessed around. */
export function chatOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): ChatOptionsResult {
  const rawPort = env[CHAT_ENV.port]?.trim();
  let port: number = chatDefaults.port;
  if (rawPort !== undefined && rawPort !== '') {
    port = Number(rawPort);
    if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) {
      return { ok: false, error: `${CHAT_ENV.port} must be a port number (0-${MAX_PORT}), got "${rawPort}"` };
    }
  }
  const pick = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  };
  const redisUrl = env[CHAT_ENV.redisUrl]?.trim();
  return {
    ok: true,
    options: {
      ...chatDefaults,
      port,
      host: pick(CHAT_ENV.host, chatDefaults.host),
      app: {
        id: pick(CHAT_ENV.appId, chatDefaults.app.id),
        key: pick(CHAT_ENV.appKey, chatDefaults.app.key),
        secret: pick(CHAT_ENV.appSecret, chatDefaults.app.secret),
      },
      redisUrl: redisUrl === undefined || redisUrl === '' ? undefined : redisUrl,
    },
  };
}
