/**
 * Every close code Tether sends or may receive, with what it means and what a client should do.
 * Standard WebSocket codes (RFC 6455 §7.4, 1000–1015), Pusher's codes (spec §4.1) and two Tether
 * extensions placed in ranges whose Pusher action is already right for them.
 */

export const CloseCode = {
  NormalClosure: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  Reserved: 1004,
  NoStatusReceived: 1005,
  AbnormalClosure: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  BadGateway: 1014,
  TlsHandshakeFailed: 1015,

  SslOnly: 4000,
  AppNotFound: 4001,
  AppDisabled: 4003,
  OverConnectionQuota: 4004,
  PathNotFound: 4005,
  InvalidVersionFormat: 4006,
  UnsupportedProtocolVersion: 4007,
  NoProtocolVersion: 4008,
  Unauthorized: 4009,
  OverCapacity: 4100,
  /** Tether: the client read too slowly and its outbound queue overflowed. */
  SlowConsumer: 4110,
  ReconnectImmediately: 4200,
  PongNotReceived: 4201,
  ClosedAfterInactivity: 4202,
  /** Tether: an HTTP transport asked for a session the server no longer holds. */
  SessionNotFound: 4210,
  ClientEventRateLimited: 4301,
  WatchlistLimitExceeded: 4302,
} as const;

export type KnownCloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What a client does after a close (spec §4.2), as pusher-js does it. `none` = generic: retry after a short pause. */
export const CloseAction = {
  TlsOnly: 'tls_only',
  Refused: 'refused',
  Backoff: 'backoff',
  Retry: 'retry',
  None: 'none',
} as const;
export type CloseAction = (typeof CloseAction)[keyof typeof CloseAction];

export interface CloseCodeInfo {
  name: string;
  /** One sentence a person can read. */
  description: string;
  /** For codes that hide their cause (1006 above all): what usually produced them. */
  likelyCauses?: readonly string[];
  /** True when the code never appears on the wire; the platform reports it locally. */
  localOnly?: boolean;
}

export const CLOSE_CODE_INFO = {
  1000: { name: 'Normal closure', description: 'Closed on purpose.' },
  1001: { name: 'Going away', description: 'The server is going away or the page is being left.' },
  1002: { name: 'Protocol error', description: 'The WebSocket protocol was broken.' },
  1003: { name: 'Unsupported data', description: 'A frame of a type the peer cannot accept (binary, say).' },
  1004: { name: 'Reserved', description: 'Reserved; never sent.' },
  1005: { name: 'No status received', description: 'Closed without a status code.', localOnly: true },
  1006: {
    name: 'Abnormal closure',
    description: 'Dropped without a closing handshake, so no reason is known.',
    localOnly: true,
    likelyCauses: [
      'a proxy or load balancer closed it as idle (nginx: after 60 s)',
      'the network changed or dropped (Wi-Fi, mobile, sleep)',
      'the server crashed or restarted',
      'a proxy or firewall blocks WebSockets',
      'the handshake was refused (wrong URL, TLS)',
    ],
  },
  1007: { name: 'Invalid payload', description: 'A text frame was not valid UTF-8.' },
  1008: { name: 'Policy violation', description: 'The peer refused a frame by policy.' },
  1009: { name: 'Message too big', description: 'A frame was too big for the peer.' },
  1010: { name: 'Mandatory extension', description: 'The server lacks an extension the client needs.' },
  1011: { name: 'Internal error', description: 'Unexpected server error.' },
  1012: { name: 'Service restart', description: 'The server is restarting.' },
  1013: { name: 'Try again later', description: 'The server is overloaded.' },
  1014: { name: 'Bad gateway', description: 'A gateway got a bad response from the server.' },
  1015: {
    name: 'TLS handshake failed',
    description: 'The TLS handshake failed (certificate problem).',
    localOnly: true,
  },
  4000: { name: 'SSL only', description: 'This app accepts TLS connections only.' },
  4001: { name: 'App not found', description: 'No app has this key.' },
  4003: { name: 'App disabled', description: 'This app is disabled.' },
  4004: { name: 'Over connection quota', description: 'The app is at its connection limit.' },
  4005: { name: 'Path not found', description: 'The URL path must be /app/KEY.' },
  4006: { name: 'Invalid version format', description: 'The URL protocol version is not a number.' },
  4007: {
    name: 'Unsupported protocol version',
    description: 'The server does not speak this protocol version.',
  },
  4008: { name: 'No protocol version', description: 'The URL has no protocol version.' },
  4009: { name: 'Unauthorized', description: 'Signed out, sign-in failed or the user was terminated.' },
  4100: { name: 'Over capacity', description: 'The server is over capacity or draining.' },
  4110: { name: 'Slow consumer', description: 'The client read too slowly and fell behind.' },
  4200: { name: 'Reconnect', description: 'The server asked for a reconnect (a restart, say).' },
  4201: { name: 'Pong not received', description: 'The server got no answer to its ping.' },
  4202: { name: 'Closed after inactivity', description: 'Closed after a long time without activity.' },
  4210: { name: 'Session not found', description: 'The server no longer holds this HTTP session.' },
  4301: { name: 'Client event rate limited', description: 'Client events came too fast.' },
  4302: {
    name: 'Watchlist limit exceeded',
    description: 'The watchlist is too long; only its first entries count.',
  },
} as const satisfies Record<KnownCloseCode, CloseCodeInfo>;

const PUSHER_RANGES = {
  refusedFrom: 4001,
  backoffFrom: 4100,
  retryFrom: 4200,
  otherFrom: 4300,
} as const;

export interface CloseActionOptions {
  /** pusher-js treats a generic close before `connection_established` as `backoff` (spec §4.2). */
  duringHandshake?: boolean;
}

/** The action a client takes after a close, exactly as spec §4.2 (pusher-js `getCloseAction`) describes. */
export function closeAction(code: number, options: CloseActionOptions = {}): CloseAction {
  let action: CloseAction;
  if (code === CloseCode.SslOnly) action = CloseAction.TlsOnly;
  else if (
    code === CloseCode.ProtocolError ||
    code === CloseCode.UnsupportedData ||
    code === CloseCode.Reserved
  )
    action = CloseAction.Backoff;
  // Spec §4.2: everything from 4300 up is refused, with no upper bound (as pusher-js does).
  else if (code < PUSHER_RANGES.refusedFrom) action = CloseAction.None;
  else if (code < PUSHER_RANGES.backoffFrom) action = CloseAction.Refused;
  else if (code < PUSHER_RANGES.retryFrom) action = CloseAction.Backoff;
  else if (code < PUSHER_RANGES.otherFrom) action = CloseAction.Retry;
  else action = CloseAction.Refused;
  if (action === CloseAction.None && options.duringHandshake) return CloseAction.Backoff;
  return action;
}

/** True when a close is worth showing as an error (pusher-js: anything but 1000 and 1001). */
export const isErrorClose = (code: number): boolean =>
  code !== CloseCode.NormalClosure && code !== CloseCode.GoingAway;

export function closeCodeInfo(code: number): CloseCodeInfo | undefined {
  return (CLOSE_CODE_INFO as Record<number, CloseCodeInfo>)[code];
}

/** The sentence that ends every close explanation: what the client does next. */
const CLOSE_ACTION_TEXT = {
  tls_only: 'The client will reconnect using TLS.',
  refused: 'The client will not reconnect by itself.',
  backoff: 'The client will reconnect after a pause.',
  retry: 'The client will reconnect at once.',
  none: 'The client will reconnect shortly.',
} as const satisfies Record<CloseAction, string>;

export interface CloseDescription {
  code: number;
  name: string;
  /** The reason the peer sent, or the table's description when it sent none. */
  reason: string;
  action: CloseAction;
  /** Plain language for a person: what happened and what happens next. */
  explanation: string;
  likelyCauses: readonly string[];
}

function rangeName(code: number): string {
  if (code >= 4000 && code <= 4999) return 'Pusher error';
  if (code >= 3000 && code <= 3999) return 'Library close';
  return 'Close';
}

export interface DescribeCloseOptions extends CloseActionOptions {
  /** Replaces the code's own action, for a close the client decided itself (a pong timeout, say). */
  action?: CloseAction;
}

/** Everything an app can show a person about a close, from the code and the reason the peer gave. */
export function describeClose(
  code: number,
  reason = '',
  options: DescribeCloseOptions = {},
): CloseDescription {
  const info = closeCodeInfo(code);
  const action = options.action ?? closeAction(code, options);
  const name = info?.name ?? `${rangeName(code)} ${code}`;
  const description = info?.description ?? 'The connection was closed.';
  const trimmed = reason.trim();
  const likelyCauses = info?.likelyCauses ?? [];
  const causes = likelyCauses.length > 0 ? ` Likely causes: ${likelyCauses.join('; ')}.` : '';
  return {
    code,
    name,
    reason: trimmed || description,
    action,
    explanation: `${name} (${code}): ${trimmed && trimmed !== description ? `${trimmed}. ` : ''}${description}${causes} ${CLOSE_ACTION_TEXT[action]}`,
    likelyCauses,
  };
}
