/**
 * What the worker renders looks things up without blocking the process: jq runs in its thread under a
 * real time limit, and kv(), read()... go through the asynchronous APIs of the store and the storage.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { loadJq } from '../../src/expression/index.ts';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/types.ts';
import { openWorker, type WorkerHarness } from './harness.ts';

const LOG = 'io.kestra.plugin.core.log.Log';
const SLEEP = 'io.kestra.plugin.core.flow.Sleep';

let h: WorkerHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

/**
 * The SQLite store seen only through the `Store` interface, every answer a turn of the event loop later, as
 * a network database (PostgreSQL) would give it: no synchronous read can be reached.
 */
const remote = (store: SqliteStore): Store => {
  const view: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
    const method = (store as unknown as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    view[name] = async (...args: unknown[]) => {
      await new Promise((resolve) => setImmediate(resolve));
      return (method as (...a: unknown[]) => unknown).apply(store, args);
    };
  }
  return view as unknown as Store;
};

describe('lookups while rendering a task', () => {
  it('stops a jq filter that never ends at its limit while the process keeps running', async () => {
    const limitMs = 1_000;
    h = await openWorker({ jqTimeLimitMs: limitMs });
    h.worker.start();
    await loadJq(); // compiling the wasm is not the filter's time
    // Loading the task implementations (a first run) is not either.
    await h.waitFor(await h.submit({ id: 'warm', type: SLEEP, duration: 'PT0S' }), 'task-result');
    await h.waitFor(await h.submit({ id: 'warm2', type: LOG, message: "{{ 1 | jq('.') }}" }), 'task-result');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const started = Date.now();
    const runaway = await h.submit({ id: 'runaway', type: LOG, message: "{{ {'a': 1} | jq('repeat(.)') }}" });
    const nap = await h.submit({ id: 'nap', type: SLEEP, duration: 'PT0.2S' });
    const napped = await h.waitFor(nap, 'task-result');
    const nappedAt = Date.now() - started;
    const result = await h.waitFor(runaway, 'task-result');
    const elapsed = Date.now() - started;
    clearInterval(ticker);
    delay.disable();
    expect(result).toMatchObject({ state: 'FAILED' });
    expect(result.error).toContain('did not finish within 1 s');
    expect(elapsed).toBeGreaterThanOrEqual(limitMs);
    expect(elapsed).toBeLessThan(limitMs + 3_000);
    // Meanwhile the other task ran to its end, and timers kept firing on time.
    expect(napped.state).toBe('SUCCESS');
    expect(nappedAt).toBeLessThan(limitMs);
    expect(delay.max / 1e6).toBeLessThan(500);
    expect(ticks).toBeGreaterThan(elapsed / 20 / 3);
  });

  it('reads kv(), read(), fileSize(), fileExists() and errorLogs() through an asynchronous store', async () => {
    h = await openWorker({ storeView: remote });
    h.worker.start();
    await h.store.kvSet('company.team', 'greeting', 'hello');
    await h.store.kvSet('company.team', 'pointer', 'greeting');
    const uri = await h.storage.put('kestra:///company/team/f/executions/e1/tasks/t/tr/a.txt', 'abc');
    const id = await h.submit({
      id: 'l',
      type: LOG,
      message: [
        "{{ kv('greeting') }} {{ kv(kv('pointer')) }} {{ kv('nope', errorOnMissing=false) ?? 'none' }}",
        `{{ read('${uri}') }} {{ fileSize('${uri}') }} {{ fileExists('${uri}') }} {{ fileExists('${uri}.no') }}`,
        "{{ {'a': 2} | jq('.a') | first }} {{ errorLogs() | length }}",
      ].join(' '),
    });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS' });
    const logs = await h.store.queryLogs({ executionId: 'e1', taskRunId: id });
    expect(logs.map((l) => l.message)).toEqual(['hello hello none abc 3 true false 2 0']);
  });

  it('serves the renders a task makes itself (Assert conditions) the same way', async () => {
    h = await openWorker({ storeView: remote });
    h.worker.start();
    await h.store.kvSet('company.team', 'flag', 'on');
    const id = await h.submit({
      id: 'check',
      type: 'io.kestra.plugin.core.execution.Assert',
      conditions: ["{{ kv('flag') == 'on' }}", "{{ ({'x': 1} | jq('.x') | first) == 1 }}"],
    });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS' });
  });

  it('fails a task whose kv() key is missing, with the key in the message', async () => {
    h = await openWorker({ storeView: remote });
    h.worker.start();
    const id = await h.submit({ id: 'l', type: LOG, message: "{{ kv('absent') }}" });
    const result = await h.waitFor(id, 'task-result');
    expect(result).toMatchObject({ state: 'FAILED' });
    expect(result.error).toContain("no value for key 'absent' in namespace 'company.team'");
  });
});
