import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A load balancer with no session affinity at all: each HTTP request and each WebSocket upgrade goes
 * to the next backend in turn, so consecutive requests of one HTTP fallback session land on different
 * nodes. A backend that refuses the connection is skipped for that request; `remove` takes a node out
 * of rotation (what an orchestrator does before sending it SIGTERM).
 */
export class RoundRobinBalancer {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  /** Backend port of each request or upgrade, in order. */
  readonly routed: number[] = [];

  private constructor(
    private readonly server: Server,
    private backends: number[],
    readonly port: number,
  ) {}

  static async start(backends: readonly number[]): Promise<RoundRobinBalancer> {
    const holder: { balancer?: RoundRobinBalancer } = {};
    const server = createServer((req, res) => holder.balancer?.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      holder.balancer?.upgrade(req, socket, head),
    );
    server.on('connection', (socket: Socket) => {
      holder.balancer?.sockets.add(socket);
      socket.on('close', () => holder.balancer?.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.balancer = new RoundRobinBalancer(server, [...backends], (server.address() as AddressInfo).port);
    return holder.balancer;
  }

  remove(port: number): void {
    this.backends = this.backends.filter((backend) => backend !== port);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Backends in the order to try for the next request. */
  private rotation(): number[] {
    const count = this.backends.length;
    if (count === 0) return [];
    const start = this.next % count;
    this.next += 1;
    return [...this.backends.slice(start), ...this.backends.slice(0, start)];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.tryBackends(req, res, Buffer.concat(chunks), this.rotation()));
  }

  private tryBackends(req: IncomingMessage, res: ServerResponse, body: Buffer, candidates: number[]): void {
    const [port, ...rest] = candidates;
    if (port === undefined) {
      res.writeHead(502).end();
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        this.routed.push(port);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        res.on('close', () => answer.destroy());
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && !res.headersSent) this.tryBackends(req, res, body, rest);
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer, candidates = this.rotation()): void {
    const [port, ...rest] = candidates;
    if (port === undefined) {
      socket.destroy();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.routed.push(port);
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (let index = 0; index + 1 < req.rawHeaders.length; index += 2)
        lines.push(`${req.rawHeaders[index]}: ${req.rawHeaders[index + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => {
      if (!connected) this.upgrade(req, socket, head, rest);
      else socket.destroy();
    });
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    socket.on('error', () => upstream.destroy());
  }
}
