import type { Agent } from 'node:http';
import { createChannelAuthorizer } from './channel-authorizer.js';
import type { LoadSpec, PublisherSpec, SubscriberSpec } from './load-spec.js';
import { openPusherApiPublisher, openRawHttpPublisher } from './publishers/http-publisher.js';
import type { Publisher, PublisherContext } from './publishers/publisher.js';
import { openSocketIoPublisher } from './publishers/socketio-publisher.js';
import { openWsPublisher } from './publishers/ws-publisher.js';
import { connectLongPollSubscriber } from './subscribers/long-poll-subscriber.js';
import { connectSocketIoSubscriber } from './subscribers/socketio-subscriber.js';
import { connectSseSubscriber } from './subscribers/sse-subscriber.js';
import type { Subscriber, SubscriberContext } from './subscribers/subscriber.js';
import { connectWsSubscriber, pusherWsPath } from './subscribers/ws-subscriber.js';

/** How the generator opens subscribers and its publisher for one target. */
export interface LoadClients {
  connectSubscriber(context: SubscriberContext): Promise<Subscriber>;
  openPublisher(context: PublisherContext): Promise<Publisher>;
}

export interface LoadClientOptions {
  agent: Agent;
  /** Longest a single HTTP request (a held poll included) may take. */
  requestTimeoutMs: number;
}

function subscriberFor(spec: SubscriberSpec, options: LoadClientOptions): LoadClients['connectSubscriber'] {
  const http = (mode: Parameters<typeof connectSseSubscriber>[1]['mode']) => ({
    agent: options.agent,
    requestTimeoutMs: options.requestTimeoutMs,
    mode,
  });
  switch (spec.kind) {
    case 'raw-ws':
      return (context) => connectWsSubscriber(context, { path: '/', handshake: 'immediate' });
    case 'pusher-ws': {
      const authorize = createChannelAuthorizer(spec.app);
      return (context) =>
        connectWsSubscriber(context, { path: pusherWsPath(spec.app.key), handshake: 'pusher', authorize });
    }
    case 'socketio':
      return (context) => connectSocketIoSubscriber(context, spec.transport);
    case 'raw-sse':
      return (context) => connectSseSubscriber(context, http({ kind: 'raw' }));
    case 'raw-long-poll':
      return (context) => connectLongPollSubscriber(context, http({ kind: 'raw' }));
    case 'tether-sse': {
      const mode = {
        kind: 'tether',
        key: spec.app.key,
        authorize: createChannelAuthorizer(spec.app),
      } as const;
      return (context) => connectSseSubscriber(context, http(mode));
    }
    case 'tether-long-poll': {
      const mode = {
        kind: 'tether',
        key: spec.app.key,
        authorize: createChannelAuthorizer(spec.app),
      } as const;
      return (context) => connectLongPollSubscriber(context, http(mode));
    }
  }
}

function publisherFor(spec: PublisherSpec): LoadClients['openPublisher'] {
  switch (spec.kind) {
    case 'raw-ws':
      return (context) => openWsPublisher(context, { kind: 'raw' });
    case 'pusher-client-event': {
      const authorize = createChannelAuthorizer(spec.app);
      return (context) => openWsPublisher(context, { kind: 'pusher', key: spec.app.key, authorize });
    }
    case 'socketio':
      return (context) => openSocketIoPublisher(context, spec.transport);
    case 'raw-http':
      return (context) => Promise.resolve(openRawHttpPublisher(context));
    case 'pusher-http-api':
      return (context) => Promise.resolve(openPusherApiPublisher(context, spec.app));
  }
}

export const loadClients = (spec: LoadSpec, options: LoadClientOptions): LoadClients => ({
  connectSubscriber: subscriberFor(spec.subscriber, options),
  openPublisher: publisherFor(spec.publisher),
});
