/**
 * Worker thread running jq-wasm (whose API is asynchronous). The main thread blocks on `signal` until
 * the answer is posted on `port`, which makes jq callable synchronously from the evaluator.
 * Input goes through `--argjson` (jq-wasm feeds stdin byte by byte, quadratic in the input size).
 */
import { createRequire } from 'node:module';
import { type MessagePort, workerData } from 'node:worker_threads';

interface JqModule {
  raw(input: string, filter: string, flags: string[]): Promise<string>;
}
const require = createRequire(import.meta.url);
const factory = require('jq-wasm/dist/build/jq.js') as () => Promise<JqModule>;

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
// jq-wasm's module corrupts itself after ~300 runs (repeated callMain): recycle it well before that,
// preparing the replacement in advance so that the swap costs nothing.
const RUNS_PER_INSTANCE = 200;
let instance = factory();
let next: Promise<JqModule> | undefined;
let runs = 0;

const handle = async (msg: { input: string; filter: string }): Promise<void> => {
  let reply: { ok: true; out: string } | { ok: false; error: string };
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
    reply = { ok: true, out };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    // A wasm trap leaves the module unusable: start a fresh one for the next call.
    if ((err as Error).name === 'RuntimeError' || /Aborted/.test(error)) {
      instance = factory();
      runs = 0;
    }
    reply = { ok: false, error };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
};

port.on('message', (msg: { input: string; filter: string }) => {
  // `handle` catches everything itself and always answers, so nothing is left unhandled.
  void handle(msg);
});
