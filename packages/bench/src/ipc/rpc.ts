/**
 * Request/response over a child process's IPC channel. The parent calls named methods of a child
 * (`call('stats', {})`); the child serves them with {@link serveRpc}. A child announces that it is
 * ready to serve, with whatever the parent needs (its port), through {@link announceReady}.
 */

/** Methods a child serves: one argument object in, one JSON-serializable value out. */
export type RpcApi = Record<string, (args: never) => unknown>;

export type RpcArgs<Api extends RpcApi, K extends keyof Api> = Parameters<Api[K]>[0];
export type RpcResult<Api extends RpcApi, K extends keyof Api> = Awaited<ReturnType<Api[K]>>;

export type RpcHandlers<Api extends RpcApi> = {
  [K in keyof Api]: (args: RpcArgs<Api, K>) => Promise<RpcResult<Api, K>> | RpcResult<Api, K>;
};

export type ChildMessage =
  | { kind: 'ready'; info: unknown }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string };

export interface RpcRequest {
  kind: 'call';
  id: number;
  method: string;
  args: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export const isRpcRequest = (value: unknown): value is RpcRequest =>
  isRecord(value) &&
  value.kind === 'call' &&
  typeof value.id === 'number' &&
  typeof value.method === 'string';

export function isChildMessage(value: unknown): value is ChildMessage {
  if (!isRecord(value)) return false;
  return (
    value.kind === 'ready' ||
    (value.kind === 'reply' && typeof value.id === 'number' && typeof value.ok === 'boolean')
  );
}

function send(message: ChildMessage): void {
  if (!process.send || !process.connected) return;
  process.send(message);
}

/** Tells the parent this child is ready. */
export function announceReady(info: unknown): void {
  send({ kind: 'ready', info });
}

/**
 * Serves `handlers` to the parent. The child exits when the parent goes away (IPC disconnect), so a
 * crashed or interrupted benchmark never leaves servers or load generators behind.
 */
export function serveRpc<Api extends RpcApi>(handlers: RpcHandlers<Api>): void {
  if (!process.send)
    throw new Error('serveRpc: this process has no IPC channel; start it through BenchChild');
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: unknown) => {
    if (!isRpcRequest(message)) return;
    const handler = (handlers as Record<string, ((args: unknown) => unknown) | undefined>)[message.method];
    if (!handler) {
      send({ kind: 'reply', id: message.id, ok: false, error: `unknown method ${message.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (value) => send({ kind: 'reply', id: message.id, ok: true, value }),
        (error: unknown) =>
          send({
            kind: 'reply',
            id: message.id,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
  });
}
