/**
 * Synchronous jq. jq-wasm only offers a Promise API, so jq runs in a worker thread and the caller
 * blocks (Atomics.wait) until the worker answers. The worker starts on first use; call `loadJq()` at
 * start-up to pay the wasm compilation (~100 ms) before the first render instead.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ExpressionError } from './errors.ts';

// jq-wasm copies the arguments onto a ~1 MB wasm stack: larger inputs crash the module.
const MAX_INPUT = 512 * 1024;
// A jq program can loop forever (`repeat(.)`): past this, the worker is killed and the render fails.
const TIMEOUT_MS = 10_000;
// First call includes compiling the wasm module.
const FIRST_TIMEOUT_MS = 30_000;

let state: { worker: Worker; port: MessagePort; signal: Int32Array; warm: boolean } | undefined;

function start(): NonNullable<typeof state> {
  if (state) return state;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // From the sources the worker is a .ts file; from the bundle in dist/ it is jq-worker.js beside us.
  const file = import.meta.url.endsWith('.ts') ? './jq-worker.ts' : './jq-worker.js';
  const worker = new Worker(new URL(file, import.meta.url), {
    workerData: { port: port2, signal },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  worker.on('error', () => {
    state = undefined;
  });
  state = { worker, port: port1, signal, warm: false };
  return state;
}

function stop(): void {
  const s = state;
  state = undefined;
  if (s) void s.worker.terminate();
}

/** Runs `filter` on `input` and returns every result (jq may output several). */
export function runJq(input: unknown, filter: string): unknown[] {
  const json = JSON.stringify(input ?? null);
  if (json.length > MAX_INPUT)
    throw new ExpressionError(
      `jq input too large (${json.length} bytes, limit ${MAX_INPUT}): filter it upstream`,
    );
  const s = start();
  Atomics.store(s.signal, 0, 0);
  s.port.postMessage({ input: json, filter });
  const waited = Atomics.wait(s.signal, 0, 0, s.warm ? TIMEOUT_MS : FIRST_TIMEOUT_MS);
  if (waited === 'timed-out') {
    stop();
    throw new ExpressionError(`jq filter \`${filter}\` did not finish within ${TIMEOUT_MS / 1000} s`);
  }
  s.warm = true;
  const msg = receiveMessageOnPort(s.port)?.message as
    | { ok: true; out: string }
    | { ok: false; error: string }
    | undefined;
  if (!msg) throw new ExpressionError('jq worker did not answer');
  if (!msg.ok) throw new ExpressionError(`Invalid jq filter \`${filter}\`: ${msg.error}`);
  return msg.out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** Starts the jq worker and waits until it answers; optional (jq also starts on first use). */
export async function loadJq(): Promise<void> {
  runJq(null, '.');
}
