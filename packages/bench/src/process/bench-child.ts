import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isChildMessage, type RpcApi, type RpcArgs, type RpcResult } from '../ipc/rpc.js';

/** The bench package root: children run from here. */
export const BENCH_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Compiles the children's TypeScript as the packages' build does (see ts-loader.mjs). */
const TS_LOADER = fileURLToPath(new URL('../../ts-loader.mjs', import.meta.url));

/** Absolute path of a module under `src/`. */
export const benchModule = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));

export interface ChildSpec {
  /** Shown in errors. */
  label: string;
  /** Absolute path of the TypeScript entry. */
  entry: string;
  args: readonly string[];
  /** Extra Node flags (e.g. `--cpu-prof`). */
  nodeFlags?: readonly string[];
  /** Pin to this CPU with `taskset` when it is available. */
  cpu?: number;
  readyTimeoutMs: number;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every child still running (SIGKILL): on exit, on error and on SIGINT. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

let tasksetAvailable: boolean | undefined;
/** True when `taskset` exists and may set this machine's affinity. */
export function canPin(): boolean {
  tasksetAvailable ??= spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
  return tasksetAvailable;
}

/** A server or load generator in its own process, driven over IPC. */
export class BenchChild<Api extends RpcApi, Info> {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly label: string,
    private readonly child: ChildProcess,
    readonly info: Info,
    readonly pinnedCpu: number | undefined,
  ) {
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      child.once('exit', () => resolve());
    });
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message) || message.kind !== 'reply') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${label}: ${message.error}`));
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      live.delete(child);
      for (const waiter of this.pending.values())
        waiter.reject(new Error(`${label} exited (${signal ?? code ?? '?'})`));
      this.pending.clear();
    });
  }

  /** Starts the child and resolves once it has announced that it is ready. */
  static start<Api extends RpcApi, Info>(spec: ChildSpec): Promise<BenchChild<Api, Info>> {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', killAllChildren);
    }
    const nodeArgs = [
      '--expose-gc',
      ...(spec.nodeFlags ?? []),
      '--import',
      TS_LOADER,
      spec.entry,
      ...spec.args,
    ];
    const pinned = spec.cpu !== undefined && canPin() ? spec.cpu : undefined;
    const [command, args] =
      pinned === undefined
        ? [process.execPath, nodeArgs]
        : ['taskset', ['-c', String(pinned), process.execPath, ...nodeArgs]];
    const child = spawn(command, args, { cwd: BENCH_ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    live.add(child);
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new Error(`${spec.label} not ready within ${spec.readyTimeoutMs} ms`)),
        spec.readyTimeoutMs,
      );
      child.once('error', (error) => fail(error));
      const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void =>
        fail(new Error(`${spec.label} exited before it was ready (${signal ?? code ?? '?'})`));
      child.once('exit', onEarlyExit);
      const onMessage = (message: unknown): void => {
        if (!isChildMessage(message) || message.kind !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onEarlyExit);
        resolve(new BenchChild<Api, Info>(spec.label, child, message.info as Info, pinned));
      };
      child.on('message', onMessage);
    });
  }

  /** Calls one method of the child; rejects on its error, on its exit and after `timeoutMs`. */
  call<K extends keyof Api & string>(
    method: K,
    args: RpcArgs<Api, K>,
    timeoutMs: number,
  ): Promise<RpcResult<Api, K>> {
    if (this.exited) return Promise.reject(new Error(`${this.label} has exited`));
    const id = this.nextId++;
    return new Promise<RpcResult<Api, K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}.${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as RpcResult<Api, K>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ kind: 'call', id, method, args });
    });
  }

  /** Disconnects IPC (the child exits by itself), then kills it if it is still there after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.exited) return;
    if (this.child.connected) this.child.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exit.then(() => 'exited' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}
