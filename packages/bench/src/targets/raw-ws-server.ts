import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { encodeFrame, PusherEvent } from '@tether/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseRawClientMessage } from './raw-client-message.js';
import type { RawPublish } from '../wire/raw-http.js';
import { wsText } from '../wire/ws-text.js';

/** How a raw server hands one encoded frame to one subscriber. */
export type FrameSender = (socket: WebSocket, frame: string) => void;

/** The naive way: one `send` per subscriber. */
export const sendEach: FrameSender = (socket, frame) => socket.send(frame);

/**
 * Corks each subscriber's TCP socket at its first frame of this turn of the event loop and uncorks
 * them all in `setImmediate`, so every frame queued for a socket in one turn leaves in one write.
 * ws keeps its net.Socket private (`_socket`); reaching it is the technique being measured.
 */
export function createCorkedSender(): FrameSender {
  const corked: Socket[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    for (const socket of corked) socket.uncork();
    corked.length = 0;
  };
  return (ws, frame) => {
    const socket = (ws as unknown as { _socket: Socket | null })._socket;
    if (socket && socket.writableCorked === 0) {
      socket.cork();
      corked.push(socket);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    }
    ws.send(frame);
  };
}

/**
 * Publishes one message to a raw server's channel: the frame is serialized once and handed to the
 * server's {@link FrameSender} for every subscriber but `sender` (the socket it came from, if any).
 */
export type RawWsPublish = (publish: RawPublish, sender?: WebSocket) => void;

/**
 * A raw `ws` server speaking just enough of the Pusher frame shapes for the load generator:
 * `pusher:subscribe` adds the socket to the channel's `Set` and is acknowledged with
 * `pusher_internal:subscription_succeeded`; any frame with a channel and a string `data` is
 * published to every other subscriber. Returns that publish, for other ways in (an HTTP route).
 */
export function attachRawWsServer(server: Server, send: FrameSender): RawWsPublish {
  const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
  const channels = new Map<string, Set<WebSocket>>();
  const publish: RawWsPublish = ({ channel, event, data }, sender) => {
    const members = channels.get(channel);
    if (!members) return;
    const frame = encodeFrame({ event, channel, data });
    for (const member of members) if (member !== sender) send(member, frame);
  };
  wss.on('connection', (socket) => {
    const joined: string[] = [];
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      for (const name of joined) {
        const members = channels.get(name);
        members?.delete(socket);
        if (members?.size === 0) channels.delete(name);
      }
    });
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const message = parseRawClientMessage(wsText(raw));
      if (!message) return;
      switch (message.type) {
        case 'subscribe': {
          let members = channels.get(message.channel);
          if (!members) channels.set(message.channel, (members = new Set()));
          if (!members.has(socket)) joined.push(message.channel);
          members.add(socket);
          socket.send(
            encodeFrame({ event: PusherEvent.SubscriptionSucceeded, channel: message.channel, data: {} }),
          );
          return;
        }
        case 'publish':
          publish(message, socket);
          return;
      }
    });
  });
  return publish;
}
