/**
 * Recognises the two publish endpoints in the plain form the SDKs send, `/apps/{id}/events` and
 * `/apps/{id}/batch_events` (query allowed), so they can be served without express routing. Anything
 * else returns undefined and is left to the express router: other case, a trailing slash, a
 * percent-escape or any unusual character in the id (whose express-decoded value might differ).
 */

export const TriggerRoute = {
  Events: 'events',
  Batch: 'batch_events',
} as const;
export type TriggerRoute = (typeof TriggerRoute)[keyof typeof TriggerRoute];

export interface TriggerRouteMatch {
  route: TriggerRoute;
  appId: string;
}

const APPS_PREFIX = '/apps/';
const EVENTS_SUFFIX = `/${TriggerRoute.Events}`;
const BATCH_SUFFIX = `/${TriggerRoute.Batch}`;
const QUERY_MARK = '?';
const SLASH = 0x2f;
const PERCENT = 0x25;
const HASH = 0x23;
const FIRST_VISIBLE = 0x21;
const LAST_VISIBLE = 0x7e;

/** The index just past a plain app id starting at `start` (at the next `/`), or -1 when the id is empty or not plain. */
function plainIdEnd(url: string, start: number, end: number): number {
  for (let index = start; index < end; index++) {
    const code = url.charCodeAt(index);
    if (code === SLASH) return index === start ? -1 : index;
    if (code === PERCENT || code === HASH || code < FIRST_VISIBLE || code > LAST_VISIBLE) return -1;
  }
  return -1;
}

/** Matches `url` (a request URL relative to where the API is mounted) against the publish endpoints. */
export function matchTriggerRoute(url: string): TriggerRouteMatch | undefined {
  if (!url.startsWith(APPS_PREFIX)) return undefined;
  const queryStart = url.indexOf(QUERY_MARK, APPS_PREFIX.length);
  const pathEnd = queryStart === -1 ? url.length : queryStart;
  const idEnd = plainIdEnd(url, APPS_PREFIX.length, pathEnd);
  if (idEnd === -1) return undefined;
  const rest = pathEnd - idEnd;
  let route: TriggerRoute;
  if (rest === EVENTS_SUFFIX.length && url.startsWith(EVENTS_SUFFIX, idEnd)) route = TriggerRoute.Events;
  else if (rest === BATCH_SUFFIX.length && url.startsWith(BATCH_SUFFIX, idEnd)) route = TriggerRoute.Batch;
  else return undefined;
  return { route, appId: url.slice(APPS_PREFIX.length, idEnd) };
}
