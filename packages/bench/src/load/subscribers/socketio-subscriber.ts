import { io } from 'socket.io-client';
import type { SocketIoTransport } from '../load-spec.js';
import type { Subscriber, SubscriberContext } from './subscriber.js';

/** The events a socket.io subscriber and publisher use with the socket.io target. */
export const SocketIoEvent = {
  Subscribe: 'subscribe',
  Publish: 'publish',
} as const;

/** A socket.io client on one transport, joined to the channel's room; every other event is a delivery. */
export function connectSocketIoSubscriber(
  context: SubscriberContext,
  transport: SocketIoTransport,
): Promise<Subscriber> {
  const { hooks } = context;
  return new Promise((resolve, reject) => {
    const socket = io(`http://${context.host}:${context.port}`, {
      transports: [transport],
      forceNew: true,
      reconnection: false,
      timeout: context.timeoutMs,
    });
    let settled = false;
    let closing = false;
    const fail = (reason: string): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        closing = true;
        socket.disconnect();
        reject(new Error(reason));
      } else if (!closing) {
        closing = true;
        hooks.onDisconnect(reason);
      }
    };
    const timer = setTimeout(() => fail(`not subscribed within ${context.timeoutMs} ms`), context.timeoutMs);
    socket.on('connect', () => {
      socket.emit(SocketIoEvent.Subscribe, context.channel, () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          close: () => {
            closing = true;
            socket.disconnect();
          },
        });
      });
    });
    socket.onAny((_event: string, data: unknown) => {
      if (typeof data === 'string') hooks.onDelivery(data);
    });
    socket.on('connect_error', (error) => fail(`connect_error: ${error.message}`));
    socket.on('disconnect', (reason) => fail(`disconnect: ${reason}`));
  });
}
