import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultAppCredentials, type AppInput } from './app-config.js';
import { tetherServerDefaults } from './options.js';

/** What `tether-server` runs with, after flags, `TETHER_*` env vars and the config file are merged. */
export interface CliOptions {
  port: number;
  host: string;
  apps: AppInput[];
  activityTimeoutSeconds: number;
  drainMs: number;
  /** Redis URL: join a cluster through the Redis adapter. */
  redisUrl?: string;
  /** Prefix of every Redis key and channel of this deployment. */
  redisKeyPrefix?: string;
}

export const cliDefaults = {
  port: 6001,
  host: '0.0.0.0',
  appId: defaultAppCredentials.id,
  appKey: defaultAppCredentials.key,
  appSecret: defaultAppCredentials.secret,
  clientEvents: true,
  activityTimeoutSeconds: tetherServerDefaults.activityTimeoutSeconds,
  drainMs: tetherServerDefaults.drainMs,
} as const;

/** Each flag and the env var that sets it when the flag is absent. */
const FLAGS = {
  port: 'TETHER_PORT',
  host: 'TETHER_HOST',
  'app-id': 'TETHER_APP_ID',
  'app-key': 'TETHER_APP_KEY',
  'app-secret': 'TETHER_APP_SECRET',
  'client-events': 'TETHER_CLIENT_EVENTS',
  'activity-timeout': 'TETHER_ACTIVITY_TIMEOUT',
  'drain-ms': 'TETHER_DRAIN_MS',
  'redis-url': 'TETHER_REDIS_URL',
  'redis-prefix': 'TETHER_REDIS_PREFIX',
  config: 'TETHER_CONFIG',
} as const;
type Flag = keyof typeof FLAGS;

export const CLI_USAGE = `Usage: tether-server [options]

  --port N               port to listen on (env TETHER_PORT, default ${cliDefaults.port})
  --host HOST            address to bind (env TETHER_HOST, default ${cliDefaults.host})
  --app-id ID            (env TETHER_APP_ID, default ${cliDefaults.appId})
  --app-key KEY          (env TETHER_APP_KEY, default ${cliDefaults.appKey})
  --app-secret SECRET    (env TETHER_APP_SECRET, default ${cliDefaults.appSecret})
  --client-events on|off allow client-* events (env TETHER_CLIENT_EVENTS, default on)
  --activity-timeout S   seconds advertised to clients (env TETHER_ACTIVITY_TIMEOUT, default ${cliDefaults.activityTimeoutSeconds})
  --drain-ms MS          shutdown drain bound (env TETHER_DRAIN_MS, default ${cliDefaults.drainMs})
  --redis-url URL        run as one node of a cluster sharing this Redis (env TETHER_REDIS_URL)
  --redis-prefix P       Redis key prefix, one per deployment sharing a Redis (env TETHER_REDIS_PREFIX, default tether)
  --config FILE          JSON file: { "apps": [...], "port"?, "host"? } (env TETHER_CONFIG)
  --help                 show this text
`;

export type CliParse = { ok: true; options: CliOptions } | { ok: false; help: boolean; error?: string };

interface ConfigFile {
  apps?: AppInput[];
  port?: number;
  host?: string;
}

/** Flags win over env vars, which win over the config file, which wins over the defaults. Never throws. */
export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliParse {
  let values: Partial<Record<Flag | 'help', string | boolean>>;
  try {
    const options = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }]));
    values = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    return { ok: false, help: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { ok: false, help: true };
  const get = (flag: Flag): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : env[FLAGS[flag]];
  };

  let file: ConfigFile = {};
  const configPath = get('config');
  if (configPath !== undefined) {
    try {
      file = JSON.parse(readFileSync(configPath, 'utf8')) as ConfigFile;
    } catch (error) {
      return {
        ok: false,
        help: false,
        error: `Cannot read config ${configPath}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (file.apps !== undefined && !Array.isArray(file.apps))
      return { ok: false, help: false, error: 'config "apps" must be an array' };
  }

  const port = integer(get('port'), file.port ?? cliDefaults.port);
  const activity = integer(get('activity-timeout'), cliDefaults.activityTimeoutSeconds);
  const drainMs = integer(get('drain-ms'), cliDefaults.drainMs);
  if (port === undefined || port < 0 || port > MAX_PORT)
    return { ok: false, help: false, error: 'port must be an integer 0-65535' };
  if (activity === undefined || activity <= 0)
    return { ok: false, help: false, error: 'activity-timeout must be a positive integer' };
  if (drainMs === undefined || drainMs < 0)
    return { ok: false, help: false, error: 'drain-ms must be a non-negative integer' };
  const clientEvents = onOff(get('client-events'));
  if (clientEvents === null) return { ok: false, help: false, error: 'client-events must be on or off' };

  const apps: AppInput[] =
    file.apps !== undefined && file.apps.length > 0
      ? file.apps
      : [
          {
            id: get('app-id') ?? cliDefaults.appId,
            key: get('app-key') ?? cliDefaults.appKey,
            secret: get('app-secret') ?? cliDefaults.appSecret,
            clientEvents: clientEvents ?? cliDefaults.clientEvents,
          },
        ];
  const redisUrl = get('redis-url');
  const redisKeyPrefix = get('redis-prefix');
  return {
    ok: true,
    options: {
      port,
      host: get('host') ?? file.host ?? cliDefaults.host,
      apps,
      activityTimeoutSeconds: activity,
      drainMs,
      ...(redisUrl !== undefined && redisUrl !== '' ? { redisUrl } : {}),
      ...(redisKeyPrefix !== undefined && redisKeyPrefix !== '' ? { redisKeyPrefix } : {}),
    },
  };
}

const MAX_PORT = 65_535;

function integer(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** undefined: not given; null: not a recognised value. */
function onOff(value: string | undefined): boolean | undefined | null {
  if (value === undefined || value === '') return undefined;
  switch (value.toLowerCase()) {
    case 'on':
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'off':
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      return null;
  }
}
