/**
 * Worker thread running jq-wasm (whose API is asynchronous), so that a filter that never ends can be
 * stopped by terminating the thread. Two ways to talk to it (see jq.ts):
 * - asynchronous: messages on `parentPort`, answered there;
 * - blocking: messages on the `port` of workerData, answered there and signalled on `signal` (slot 0:
 *   an answer is posted; slot 1: the engine is ready, or failed to start), which the caller waits on
 *   with Atomics.wait.
 * Input goes through `--argjson` (jq-wasm feeds stdin byte by byte, quadratic in the input size).
 */
import { createRequire } from 'node:module';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';

interface JqModule {
  raw(input: string, filter: string, flags: string[]): Promise<string>;
}
export interface JqRequest {
  id: number;
  input: string;
  filter: string;
}
export type JqReply =
  | { id: number; ok: true; out: string }
  | { id: number; ok: false; error: string }
  | { ready: true }
  | { failed: string };

const require = createRequire(import.meta.url);
const factory = require('jq-wasm/dist/build/jq.js') as () => Promise<JqModule>;

const data = (workerData ?? {}) as { port?: MessagePort; signal?: Int32Array };
const port = data.port ?? parentPort;
const signal = data.signal;

const post = (reply: JqReply, slot: 0 | 1, value: number): void => {
  port?.postMessage(reply);
  if (!signal) return;
  Atomics.store(signal, slot, value);
  Atomics.notify(signal, slot);
};

// jq-wasm's module corrupts itself after ~300 runs (repeated callMain): recycle it well before that,
// preparing the replacement in advance so that the swap costs nothing.
const RUNS_PER_INSTANCE = 200;
let instance = factory();
let next: Promise<JqModule> | undefined;
let runs = 0;

// Readiness is reported apart from answers: compiling the wasm module is not a filter's time.
instance.then(
  () => post({ ready: true }, 1, 1),
  (err: unknown) => post({ failed: err instanceof Error ? err.message : String(err) }, 1, 2),
);

const handle = async (msg: JqRequest): Promise<void> => {
  let reply: JqReply;
  try {
    if (++runs === RUNS_PER_INSTANCE - 50) next = factory();
    if (runs >= RUNS_PER_INSTANCE) {
      instance = next ?? factory();
      next = undefined;
      runs = 0;
    }
    const m = await instance;
    const out = await m.raw('null', `$__baton_input | (${msg.filter})`, [
      '-c',
      '-n',
      '--argjson',
      '__baton_input',
      msg.input,
    ]);
    reply = { id: msg.id, ok: true, out };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    // A wasm trap leaves the module unusable: start a fresh one for the next call.
    if ((err as Error).name === 'RuntimeError' || /Aborted/.test(error)) {
      instance = factory();
      runs = 0;
    }
    reply = { id: msg.id, ok: false, error };
  }
  post(reply, 0, 1);
};

port?.on('message', (msg: JqRequest) => {
  // `handle` catches everything itself and always answers, so nothing is left unhandled.
  void handle(msg);
});
