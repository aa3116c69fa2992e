import { appPath } from '@tether/protocol';
import WebSocket from 'ws';
import { PusherSubscription } from './pusher-subscription.js';
import type { Subscriber, SubscriberContext } from './subscriber.js';
import { wsText } from '../../wire/ws-text.js';

export interface WsSubscriberOptions {
  /** Path and query to connect to. */
  path: string;
  /** `pusher`: await `connection_established` first; `immediate`: subscribe on open (raw ws). */
  handshake: 'pusher' | 'immediate';
  authorize?: (socketId: string, channel: string) => string;
}

/** The connect path of a Pusher-protocol WebSocket. */
export const pusherWsPath = (key: string): string => appPath(key, { client: 'bench', version: '1' });

/** A WebSocket subscriber; resolves once the channel subscription is acknowledged. */
export function connectWsSubscriber(
  context: SubscriberContext,
  options: WsSubscriberOptions,
): Promise<Subscriber> {
  const { hooks } = context;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${context.host}:${context.port}${options.path}`, {
      perMessageDeflate: false,
    });
    let settled = false;
    let closing = false;
    const subscriber: Subscriber = {
      close: () => {
        closing = true;
        socket.terminate();
      },
    };
    const fail = (reason: string): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        closing = true;
        socket.terminate();
        reject(new Error(reason));
      } else if (!closing) {
        closing = true;
        socket.terminate();
        hooks.onDisconnect(reason);
      }
    };
    const timer = setTimeout(() => fail(`not subscribed within ${context.timeoutMs} ms`), context.timeoutMs);
    const subscription = new PusherSubscription({
      channel: context.channel,
      handshake: options.handshake,
      ...(options.authorize ? { authorize: options.authorize } : {}),
      send: (frame) => socket.send(frame),
      onSubscribed: () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(subscriber);
      },
      onFailure: fail,
      onDelivery: hooks.onDelivery,
    });
    socket.on('open', () => subscription.start());
    socket.on('message', (data, isBinary) => {
      if (!isBinary) subscription.receive(wsText(data));
    });
    socket.on('error', (error) => fail(`websocket error: ${error.message}`));
    socket.on('close', (code) => {
      if (!closing) fail(`closed ${code}`);
    });
  });
}
