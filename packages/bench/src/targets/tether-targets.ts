import type { TargetSpec } from './target-spec.js';
import { tetherBenchApp } from './tether-bench-app.js';

/**
 * Client events need a private channel; every Tether target uses the same one. Names short enough
 * that the padded frame is the same 100 bytes the baselines carry.
 */
const CHANNEL = 'private-b';
const CLIENT_EVENT = 'client-b';
const API_EVENT = 'bench';
const app = tetherBenchApp;

/** Tether in each way an app publishes and each transport a subscriber may use. */
export const tetherTargets = [
  {
    id: 'tether-ws-client-events',
    label: 'Tether WebSocket, published by client events',
    family: 'tether',
    transport: 'websocket',
    entry: 'targets/tether.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: CLIENT_EVENT,
      subscriber: { kind: 'pusher-ws', app },
      publisher: { kind: 'pusher-client-event', app },
    },
    compareWith: ['corked-ws', 'naive-ws', 'socketio-ws'],
  },
  {
    id: 'tether-ws-http-api',
    label: 'Tether WebSocket, published by the HTTP API',
    family: 'tether',
    transport: 'websocket',
    entry: 'targets/tether.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: API_EVENT,
      subscriber: { kind: 'pusher-ws', app },
      publisher: { kind: 'pusher-http-api', app },
    },
    // corked-ws-http first: the same publish path (one HTTP request per message), the fair limit.
    compareWith: ['corked-ws-http', 'corked-ws', 'naive-ws', 'socketio-ws'],
  },
  {
    id: 'tether-ws-cluster',
    label: 'Tether WebSocket on node B, published by the HTTP API of node A, over Redis',
    family: 'tether',
    transport: 'websocket',
    entry: 'targets/tether.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: API_EVENT,
      subscriber: { kind: 'pusher-ws', app },
      publisher: { kind: 'pusher-http-api', app },
    },
    // The cost of scale-out: the same load as tether-ws-http-api, with every message crossing Redis.
    compareWith: ['tether-ws-http-api'],
    topology: 'redis-pair',
  },
  {
    id: 'tether-sse',
    label: 'Tether SSE, published by the HTTP API',
    family: 'tether',
    transport: 'sse',
    entry: 'targets/tether.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: API_EVENT,
      subscriber: { kind: 'tether-sse', app },
      publisher: { kind: 'pusher-http-api', app },
    },
    compareWith: ['raw-sse'],
  },
  {
    id: 'tether-long-poll',
    label: 'Tether long-poll, published by the HTTP API',
    family: 'tether',
    transport: 'long-poll',
    entry: 'targets/tether.ts',
    args: [],
    load: {
      channel: CHANNEL,
      event: API_EVENT,
      subscriber: { kind: 'tether-long-poll', app },
      publisher: { kind: 'pusher-http-api', app },
    },
    compareWith: ['raw-long-poll', 'socketio-polling'],
  },
] as const satisfies readonly TargetSpec[];
