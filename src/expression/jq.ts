/**
 * jq, run by jq-wasm in a worker thread (jq-worker.ts) so that a filter that never ends (`repeat(.)`) is
 * stopped by terminating the thread at its time limit.
 *
 * - `runJqAsync`: the normal way (the worker renders through Lookups). The caller awaits with a real timer:
 *   the event loop keeps running (lease heartbeats, other tasks) while jq works.
 * - `runJq`: the blocking fallback for synchronous renders that cannot wait (the executor's flowable
 *   properties, a task rendering synchronously): the caller blocks with Atomics.wait, so its limit is short.
 *
 * Each engine compiles the wasm module when it starts (~100 ms); that time has its own allowance and is
 * not counted in a filter's limit. `loadJq()` starts both ahead of the first use.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ExpressionError } from './errors.ts';
import type { JqReply, JqRequest } from './jq-worker.ts';

// jq-wasm copies the arguments onto a ~1 MB wasm stack: larger inputs crash the module.
const MAX_INPUT = 512 * 1024;
/** A filter running longer is stopped (its thread terminated) and the render fails. */
export const JQ_TIME_LIMIT_MS = 10_000;
/**
 * Limit of a blocking run. The whole process stalls meanwhile (executor loop, lease heartbeats): 2 s stays
 * far below the 30 s leases, so no other process takes over in-flight work because of a runaway filter.
 */
export const JQ_BLOCKING_TIME_LIMIT_MS = 2_000;
/** Compiling the wasm module at an engine's start: ~100 ms, far more on a loaded machine. */
const STARTUP_LIMIT_MS = 30_000;

const workerUrl = (): URL =>
  // From the sources the worker is a .ts file; from the bundle in dist/ it is jq-worker.js beside us.
  new URL(import.meta.url.endsWith('.ts') ? './jq-worker.ts' : './jq-worker.js', import.meta.url);

const serialise = (input: unknown): string => {
  const json = JSON.stringify(input ?? null);
  if (json.length > MAX_INPUT)
    throw new ExpressionError(
      `jq input too large (${json.length} bytes, limit ${MAX_INPUT}): filter it upstream`,
    );
  return json;
};

const tooLong = (filter: string, limitMs: number): ExpressionError =>
  new ExpressionError(`jq filter \`${filter}\` did not finish within ${limitMs / 1000} s: it was stopped`);

const results = (reply: JqReply | undefined, filter: string): unknown[] => {
  if (!reply || !('id' in reply)) throw new ExpressionError('jq worker did not answer');
  if (!reply.ok && reply.id === STOPPED) throw new ExpressionError(reply.error);
  if (!reply.ok) throw new ExpressionError(`Invalid jq filter \`${filter}\`: ${reply.error}`);
  return reply.out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
};

let nextId = 0;
/** Id of the answer given to a request whose engine stopped before answering. */
const STOPPED = -1;

// ---- asynchronous engine: one thread, one filter at a time (a runaway filter delays the next ones by at
// most its limit), requests queued in this thread.

interface AsyncEngine {
  worker: Worker;
  ready: Promise<void>;
  waiting: Map<number, (reply: JqReply) => void>;
}
let engine: AsyncEngine | undefined;
let queue: Promise<unknown> = Promise.resolve();

const startAsync = (): AsyncEngine => {
  const worker = new Worker(workerUrl());
  const waiting = new Map<number, (reply: JqReply) => void>();
  let settle: { ok(): void; fail(e: Error): void } | undefined;
  const ready = new Promise<void>((ok, fail) => {
    settle = { ok, fail };
  });
  ready.catch(() => undefined); // observed by the caller that awaits it
  const gone = (reason: string) => {
    if (engine === started) engine = undefined;
    settle?.fail(new ExpressionError(`jq engine stopped: ${reason}`));
    for (const answer of waiting.values())
      answer({ id: STOPPED, ok: false, error: `jq engine stopped: ${reason}` });
    waiting.clear();
  };
  worker.on('message', (reply: JqReply) => {
    if ('ready' in reply) settle?.ok();
    else if ('failed' in reply) gone(reply.failed);
    else waiting.get(reply.id)?.(reply);
  });
  worker.on('error', (err) => gone(err.message));
  worker.on('exit', () => gone('its thread exited'));
  // The thread alone must not keep the process alive; a caller waiting for it holds a timer that does.
  // After the listeners: adding a 'message' listener refs the worker's port again.
  worker.unref();
  const started: AsyncEngine = { worker, ready, waiting };
  return started;
};

const stopAsync = (e: AsyncEngine): void => {
  if (engine === e) engine = undefined;
  void e.worker.terminate();
};

/** `promise`, or `onTimeout()` thrown after `ms` (a real timer: it also keeps the process alive). */
const within = async <T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

const runOnEngine = async (json: string, filter: string, limitMs: number): Promise<unknown[]> => {
  engine ??= startAsync();
  const e = engine;
  await within(e.ready, STARTUP_LIMIT_MS, () => {
    stopAsync(e);
    return new ExpressionError(
      `jq did not start within ${STARTUP_LIMIT_MS / 1000} s: the machine is overloaded`,
    );
  });
  const id = ++nextId;
  const answer = new Promise<JqReply>((resolve) => {
    e.waiting.set(id, resolve);
    e.worker.postMessage({ id, input: json, filter } satisfies JqRequest);
  });
  try {
    return results(
      await within(answer, limitMs, () => {
        stopAsync(e);
        return tooLong(filter, limitMs);
      }),
      filter,
    );
  } finally {
    e.waiting.delete(id);
  }
};

/** Runs `filter` on `input` and returns every result (jq may output several); never blocks the caller. */
export const runJqAsync = (
  input: unknown,
  filter: string,
  opts: { limitMs?: number } = {},
): Promise<unknown[]> => {
  let json: string;
  try {
    json = serialise(input);
  } catch (err) {
    return Promise.reject(err as Error);
  }
  const run = queue.then(() => runOnEngine(json, filter, opts.limitMs ?? JQ_TIME_LIMIT_MS));
  queue = run.catch(() => undefined);
  return run;
};

// ---- blocking engine

let blocking: { worker: Worker; port: MessagePort; signal: Int32Array } | undefined;

const startBlocking = (): NonNullable<typeof blocking> => {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerUrl(), { workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  port1.unref();
  const started = { worker, port: port1, signal };
  worker.on('error', () => {
    if (blocking === started) blocking = undefined;
  });
  return started;
};

const stopBlocking = (): void => {
  const b = blocking;
  blocking = undefined;
  if (b) void b.worker.terminate();
};

/**
 * Runs `filter` on `input`, blocking the caller (see JQ_BLOCKING_TIME_LIMIT_MS). Only for renders that
 * must stay synchronous; everything else goes through `runJqAsync`.
 */
export function runJq(input: unknown, filter: string): unknown[] {
  const json = serialise(input);
  blocking ??= startBlocking();
  const b = blocking;
  if (Atomics.load(b.signal, 1) === 0) {
    Atomics.wait(b.signal, 1, 0, STARTUP_LIMIT_MS);
    if (Atomics.load(b.signal, 1) !== 1) {
      stopBlocking();
      throw new ExpressionError(`jq did not start within ${STARTUP_LIMIT_MS / 1000} s`);
    }
  }
  Atomics.store(b.signal, 0, 0);
  const id = ++nextId;
  b.port.postMessage({ id, input: json, filter } satisfies JqRequest);
  if (Atomics.wait(b.signal, 0, 0, JQ_BLOCKING_TIME_LIMIT_MS) === 'timed-out') {
    stopBlocking();
    throw tooLong(filter, JQ_BLOCKING_TIME_LIMIT_MS);
  }
  // The readiness message is on the port too: skip to this request's answer.
  for (;;) {
    const reply = receiveMessageOnPort(b.port)?.message as JqReply | undefined;
    if (!reply || ('id' in reply && reply.id === id)) return results(reply, filter);
  }
}

/** Starts both jq engines (compiling the wasm off the main thread); optional, they also start on first use. */
export async function loadJq(): Promise<void> {
  blocking ??= startBlocking();
  await runJqAsync(null, '.');
}
