import type { TargetSpec } from './target-spec.js';

/** Channel and event names of the baselines (the payload is padded to the same frame size anyway). */
const CHANNEL = 'bench';
const WS_EVENT = 'client-bench';
const EVENT = 'bench';

/** Every non-Tether server of the comparison. */
export const baselineTargets = [
  {
    id: 'naive-ws',
    label: 'naive ws (Set per channel, one send each)',
    family: 'baseline',
    transport: 'websocket',
    entry: 'targets/naive-ws.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: WS_EVENT,
      subscriber: { kind: 'raw-ws' },
      publisher: { kind: 'raw-ws' },
    },
    compareWith: [],
  },
  {
    id: 'corked-ws',
    label: 'corked ws (cork per socket until setImmediate)',
    family: 'baseline',
    transport: 'websocket',
    entry: 'targets/corked-ws.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: WS_EVENT,
      subscriber: { kind: 'raw-ws' },
      publisher: { kind: 'raw-ws' },
    },
    compareWith: [],
  },
  {
    id: 'corked-ws-http',
    label: 'corked ws, published by POST /publish (one HTTP request per message)',
    family: 'baseline',
    transport: 'websocket',
    entry: 'targets/corked-ws-http.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: EVENT,
      subscriber: { kind: 'raw-ws' },
      publisher: { kind: 'raw-http' },
    },
    compareWith: [],
  },
  {
    id: 'socketio-ws',
    label: 'socket.io 4, websocket only, rooms',
    family: 'baseline',
    transport: 'websocket',
    entry: 'targets/socketio.ts',
    args: ['websocket'],
    load: {
      channel: CHANNEL,
      event: EVENT,
      subscriber: { kind: 'socketio', transport: 'websocket' },
      publisher: { kind: 'socketio', transport: 'websocket' },
    },
    compareWith: [],
  },
  {
    id: 'socketio-polling',
    label: 'socket.io 4, polling only, rooms',
    family: 'baseline',
    transport: 'long-poll',
    entry: 'targets/socketio.ts',
    args: ['polling'],
    load: {
      channel: CHANNEL,
      event: EVENT,
      subscriber: { kind: 'socketio', transport: 'polling' },
      publisher: { kind: 'socketio', transport: 'polling' },
    },
    compareWith: [],
  },
  {
    id: 'raw-sse',
    label: 'raw SSE (one write per stream)',
    family: 'baseline',
    transport: 'sse',
    entry: 'targets/raw-sse.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: EVENT,
      subscriber: { kind: 'raw-sse' },
      publisher: { kind: 'raw-http' },
    },
    compareWith: [],
  },
  {
    id: 'raw-long-poll',
    label: 'raw long-poll (held GET, batched per turn)',
    family: 'baseline',
    transport: 'long-poll',
    entry: 'targets/raw-long-poll.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: EVENT,
      subscriber: { kind: 'raw-long-poll' },
      publisher: { kind: 'raw-http' },
    },
    compareWith: [],
  },
] as const satisfies readonly TargetSpec[];
