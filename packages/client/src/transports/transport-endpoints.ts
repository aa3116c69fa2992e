import { appPath, CURSOR_PARAM, httpRoutePath } from '@tether/protocol';
import { clientInfo, type ResolvedConnectionOptions } from '../options.js';

/** Every URL the client transports use, for one TLS setting. */
export interface TransportEndpoints {
  tls: boolean;
  websocket: string;
  sseOpen: string;
  longPollOpen: string;
  longPoll(session: string, cursor: number): string;
  send(session: string): string;
  /** Ends an SSE or long-poll session at once. */
  close(session: string): string;
  /** A cheap GET whose answer (any status) proves the server is reachable over HTTP. */
  reachability: string;
}

const hostPort = (host: string, port: number | null): string => (port === null ? host : `${host}:${port}`);

/** Builds the URLs of every transport from the options (spec §5.1 and protocol's http-routes). */
export function transportEndpoints(options: ResolvedConnectionOptions, tls: boolean): TransportEndpoints {
  const connectPath = appPath(options.key, {
    prefix: options.path,
    client: clientInfo.name,
    version: clientInfo.version,
  });
  const query = connectPath.slice(connectPath.indexOf('?'));
  const wsBase = `${tls ? 'wss' : 'ws'}://${hostPort(options.wsHost, options.wsPort)}`;
  const httpBase = `${tls ? 'https' : 'http'}://${hostPort(options.httpHost, options.httpPort)}`;
  return {
    tls,
    websocket: `${wsBase}${connectPath}`,
    sseOpen: `${httpBase}${httpRoutePath.sseOpen(options.key, options.path)}${query}`,
    longPollOpen: `${httpBase}${httpRoutePath.longPollOpen(options.key, options.path)}${query}`,
    longPoll: (session, cursor) =>
      `${httpBase}${httpRoutePath.longPoll(options.key, session, options.path)}?${CURSOR_PARAM}=${cursor}`,
    send: (session) => `${httpBase}${httpRoutePath.send(options.key, session, options.path)}`,
    close: (session) => `${httpBase}${httpRoutePath.close(options.key, session, options.path)}`,
    reachability: `${httpBase}${options.path}/`,
  };
}
