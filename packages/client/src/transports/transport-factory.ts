import type { TransportName } from '@tether/protocol';
import type { Platform } from '../platform/platform.js';
import { LongPollTransport } from './long-poll.js';
import { SseTransport } from './sse.js';
import type { ClientTransport, TransportFactory } from './transport.js';
import type { TransportEndpoints } from './transport-endpoints.js';
import { WebSocketTransport } from './websocket.js';

/** True when the platform has what the transport needs. */
export function isTransportSupported(platform: Platform, name: TransportName): boolean {
  switch (name) {
    case 'websocket':
      return platform.WebSocket !== undefined;
    case 'sse':
      return platform.EventSource !== undefined;
    case 'long-poll':
      return true;
  }
}

/** The transport factory for one set of endpoints (one TLS setting). */
export function transportFactory(platform: Platform, endpoints: TransportEndpoints): TransportFactory {
  return (name: TransportName, attempt: number): ClientTransport => {
    switch (name) {
      case 'websocket':
        return new WebSocketTransport(platform, endpoints.websocket, attempt);
      case 'sse':
        return new SseTransport(platform, endpoints, attempt);
      case 'long-poll':
        return new LongPollTransport(platform, endpoints, attempt);
    }
  };
}
