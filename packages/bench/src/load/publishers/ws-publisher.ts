import { encodeClientFrame, isClientEventName } from '@tether/protocol';
import WebSocket from 'ws';
import { pusherWsPath } from '../subscribers/ws-subscriber.js';
import { PusherSubscription } from '../subscribers/pusher-subscription.js';
import type { Publisher, PublisherContext } from './publisher.js';
import { wsText } from '../../wire/ws-text.js';

export type WsPublisherMode =
  /** Raw ws baseline: connect to `/` and send frames; the server relays them to the channel. */
  | { kind: 'raw' }
  /** Pusher protocol: subscribe to the (private) channel, then trigger client events on it. */
  | { kind: 'pusher'; key: string; authorize: (socketId: string, channel: string) => string };

/** Publishes client-event frames (`{"event":"client-…","channel":…,"data":"…"}`) over one WebSocket. */
export function openWsPublisher(context: PublisherContext, mode: WsPublisherMode): Promise<Publisher> {
  const { event } = context;
  if (!isClientEventName(event))
    return Promise.reject(
      new Error(`a WebSocket publisher sends client events; ${event} lacks the client- prefix`),
    );
  const path = mode.kind === 'raw' ? '/' : pusherWsPath(mode.key);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${context.host}:${context.port}${path}`, { perMessageDeflate: false });
    let ready = false;
    let failure: Error | undefined;
    const publisher: Publisher = {
      publish: (data) => {
        if (failure) return Promise.reject(failure);
        socket.send(encodeClientFrame({ event, channel: context.channel, data }));
        return undefined;
      },
      close: () => socket.terminate(),
    };
    const fail = (reason: string): void => {
      failure ??= new Error(reason);
      if (!ready) {
        ready = true;
        clearTimeout(timer);
        socket.terminate();
        reject(failure);
      }
    };
    const timer = setTimeout(
      () => fail(`publisher not ready within ${context.timeoutMs} ms`),
      context.timeoutMs,
    );
    const becomeReady = (): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      resolve(publisher);
    };
    const subscription =
      mode.kind === 'pusher'
        ? new PusherSubscription({
            channel: context.channel,
            handshake: 'pusher',
            authorize: mode.authorize,
            send: (frame) => socket.send(frame),
            onSubscribed: becomeReady,
            onFailure: fail,
            onDelivery: () => fail('the publisher received its own client event'),
          })
        : undefined;
    socket.on('open', () => {
      if (!subscription) becomeReady();
    });
    socket.on('message', (data, isBinary) => {
      if (!isBinary) subscription?.receive(wsText(data));
    });
    socket.on('error', (error) => fail(`publisher websocket error: ${error.message}`));
    socket.on('close', (code) => fail(`publisher closed ${code}`));
  });
}
