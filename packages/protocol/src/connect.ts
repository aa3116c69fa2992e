import { CloseCode } from './close-codes.js';
import { PROTOCOL_VERSION } from './frames.js';

/** What a client puts in the connect URL's query (spec §5.1). Unknown params are ignored. */
export const ConnectParam = {
  Protocol: 'protocol',
  Client: 'client',
  Version: 'version',
} as const;

/** Protocol versions this implementation speaks. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [PROTOCOL_VERSION];

export type ConnectCheck = { ok: true; protocol: number } | { ok: false; closeCode: number; reason: string };

export interface ProtocolCheckOptions {
  /** Accept a connect URL with no `protocol` as version 7 (Pusher infers one). Default: refuse with 4008. */
  lenient?: boolean;
}

/** Validates the `protocol` query value: 4008 missing, 4006 malformed, 4007 unsupported. */
export function checkProtocolVersion(
  value: string | null | undefined,
  options: ProtocolCheckOptions = {},
): ConnectCheck {
  if (value === null || value === undefined || value === '') {
    if (options.lenient) return { ok: true, protocol: PROTOCOL_VERSION };
    return { ok: false, closeCode: CloseCode.NoProtocolVersion, reason: 'No protocol version supplied' };
  }
  if (!/^\d{1,4}$/.test(value)) {
    return {
      ok: false,
      closeCode: CloseCode.InvalidVersionFormat,
      reason: `Invalid version string format: ${value.slice(0, 16)}`,
    };
  }
  const version = Number(value);
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return {
      ok: false,
      closeCode: CloseCode.UnsupportedProtocolVersion,
      reason: `Unsupported protocol version ${version}`,
    };
  }
  return { ok: true, protocol: version };
}

const APP_PATH = /^\/app\/([^/?#]+)\/?$/;

/** `.` and `..` are dot segments: every URL parser folds them away (even as `%2E`), so such a key never reaches a server. */
const DOT_SEGMENT = /^\.{1,2}$/;

/** Whether `key` survives as the `{key}` segment of a connect URL: non-empty and not a dot segment. */
export const isRoutableAppKey = (key: string): boolean => key.length > 0 && !DOT_SEGMENT.test(key);

/** Extracts the app key from `{prefix}/app/{key}`; null when the path is anything else (close 4005). */
export function parseAppPath(pathname: string, prefix = ''): string | null {
  if (prefix && !pathname.startsWith(prefix)) return null;
  const match = APP_PATH.exec(pathname.slice(prefix.length));
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** `{prefix}/app/{key}?protocol=7&client=…&version=…` without scheme or host. */
export function appPath(key: string, options: { prefix?: string; client: string; version: string }): string {
  const query = [
    [ConnectParam.Protocol, String(PROTOCOL_VERSION)],
    [ConnectParam.Client, options.client],
    [ConnectParam.Version, options.version],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`)
    .join('&');
  return `${options.prefix ?? ''}/app/${encodeURIComponent(key)}?${query}`;
}
