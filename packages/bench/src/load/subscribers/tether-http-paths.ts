import { appPath, CURSOR_PARAM, httpRoutePath } from '@tether/protocol';

/** The connect query every Tether transport carries: `protocol=7&client=bench&version=1`. */
const connectQuery = (key: string): string =>
  appPath(key, { client: 'bench', version: '1' }).split('?')[1] ?? '';

/** Paths of Tether's HTTP transports for the load generator (layout owned by @tether/protocol). */
export const tetherHttpPaths = {
  sseOpen: (key: string): string => `${httpRoutePath.sseOpen(key)}?${connectQuery(key)}`,
  longPollOpen: (key: string): string => `${httpRoutePath.longPollOpen(key)}?${connectQuery(key)}`,
  longPoll: (key: string, session: string, cursor: number): string =>
    `${httpRoutePath.longPoll(key, session)}?${CURSOR_PARAM}=${cursor}`,
  send: (key: string, session: string): string => httpRoutePath.send(key, session),
} as const;
