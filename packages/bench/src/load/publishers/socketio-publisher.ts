import { io } from 'socket.io-client';
import type { SocketIoTransport } from '../load-spec.js';
import { SocketIoEvent } from '../subscribers/socketio-subscriber.js';
import type { Publisher, PublisherContext } from './publisher.js';

/** Emits `publish(channel, event, data)`; the socket.io target broadcasts it to the room. */
export function openSocketIoPublisher(
  context: PublisherContext,
  transport: SocketIoTransport,
): Promise<Publisher> {
  return new Promise((resolve, reject) => {
    const socket = io(`http://${context.host}:${context.port}`, {
      transports: [transport],
      forceNew: true,
      reconnection: false,
      timeout: context.timeoutMs,
    });
    let ready = false;
    let failure: Error | undefined;
    const fail = (reason: string): void => {
      failure ??= new Error(reason);
      if (!ready) {
        ready = true;
        socket.disconnect();
        reject(failure);
      }
    };
    socket.once('connect', () => {
      ready = true;
      resolve({
        publish: (data) => {
          if (failure) return Promise.reject(failure);
          socket.emit(SocketIoEvent.Publish, context.channel, context.event, data);
          return undefined;
        },
        close: () => socket.disconnect(),
      });
    });
    socket.on('connect_error', (error) => fail(`publisher connect_error: ${error.message}`));
    socket.on('disconnect', (reason) => fail(`publisher disconnect: ${reason}`));
  });
}
