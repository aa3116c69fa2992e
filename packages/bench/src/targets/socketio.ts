/**
 * Target process: socket.io 4 with rooms, one transport only (`websocket` or `polling`, argv[2]).
 * `subscribe(channel, ack)` joins the room; `publish(channel, event, data)` broadcasts to the room
 * except the sender (socket.io encodes a broadcast packet once).
 */
import { Server } from 'socket.io';
import { runTarget } from './target-process.js';

const SOCKET_IO_TRANSPORTS = ['websocket', 'polling'] as const;
type SocketIoTransport = (typeof SOCKET_IO_TRANSPORTS)[number];
const transport = process.argv[2];
if (!SOCKET_IO_TRANSPORTS.includes(transport as SocketIoTransport))
  throw new Error(`socketio target: transport must be one of ${SOCKET_IO_TRANSPORTS.join(', ')}`);

await runTarget((server) => {
  const io = new Server(server, {
    transports: [transport as SocketIoTransport],
    serveClient: false,
    perMessageDeflate: false,
    httpCompression: false,
  });
  io.on('connection', (socket) => {
    socket.on('subscribe', (channel: unknown, ack: unknown) => {
      if (typeof channel !== 'string') return;
      void socket.join(channel);
      if (typeof ack === 'function') (ack as () => void)();
    });
    socket.on('publish', (channel: unknown, event: unknown, data: unknown) => {
      if (typeof channel !== 'string' || typeof event !== 'string') return;
      socket.to(channel).emit(event, data);
    });
  });
});
