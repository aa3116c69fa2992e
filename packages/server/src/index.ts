export {
  attachDefaults,
  createTetherServer,
  TetherServer,
  type AttachOptions,
  type DrainOptions,
} from './server.js';
export { tetherServerDefaults, type TetherServerOptions, type TetherServerInput } from './options.js';
export {
  appDefaults,
  defaultAppCredentials,
  resolveApp,
  type AppConfig,
  type AppInput,
  type WebhookConfig,
} from './app-config.js';
export { AppRegistry } from './app-registry.js';
export { systemClock, type Clock, type Timer } from './clock.js';
export type {
  TetherServerEvents,
  TetherServerEventName,
  TetherServerEventSource,
  TetherServerListener,
} from './server-events.js';
export type {
  ServerTransport,
  ServerTransportName,
  ServerTransportEvents,
  SessionHost,
  SessionOpenRequest,
  SessionOpenResult,
  TransportCloseContext,
  TransportFrameContext,
} from './transports/transport.js';
export { WebSocketTransport, type WebSocketTransportLimits } from './transports/websocket.js';
export { attachWebhooks, type WebhookSender } from './webhooks/attach-webhooks.js';
export { webhookDefaults, type WebhookOptions } from './webhooks/webhook-options.js';
export { httpFallbackDefaults, type HttpFallbackLimits } from './transports/http-fallbacks.js';
export type { ApiBackend, ApiChannelState, ApiTriggerEvent } from './api/api-backend.js';
export type {
  Adapter,
  AdapterDelivery,
  AdapterMessage,
  AdapterNode,
  CachedEvent,
  ChannelCounts,
  ClusterChange,
  EncodedFrame,
  MaybePromise,
  PresenceChange,
  SubscriptionChange,
} from './adapters/adapter.js';
export { MemoryAdapter } from './adapters/memory-adapter.js';
export { RedisAdapter } from './adapters/redis-adapter.js';
export { redisAdapterDefaults, type RedisAdapterOptions } from './adapters/redis-adapter-options.js';
export { signWithSecret, verifyChannelAuth, verifyUserAuth } from './auth/authorizer.js';
