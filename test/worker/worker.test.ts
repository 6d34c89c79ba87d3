import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { mapSecrets } from '../../src/secrets/index.ts';
import { StoreFailureError } from '../../src/store/errors.ts';
import { LOG_LIMITS } from '../../src/worker/logger.ts';
import { openWorker, type WorkerHarness } from './harness.ts';

const LOG = 'io.kestra.plugin.core.log.Log';
const SLEEP = 'io.kestra.plugin.core.flow.Sleep';

let h: WorkerHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

describe('Worker', () => {
  it('reports a long job as started, then its result', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({ id: 'nap', type: 'io.kestra.plugin.core.flow.Sleep', duration: 'PT0.3S' });
    expect(await h.waitFor(id, 'task-started')).toMatchObject({ attempt: 1, workerId: 'worker-1' });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS', attempt: 1 });
  });

  it('runs a short job: one result message, job acked, logs stored', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({ id: 'hello', type: LOG, message: 'Hello {{ flow.id }} from {{ task.id }}' });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS', attempt: 1 });
    expect(await h.store.countQueue('worker')).toBe(0);
    const logs = await h.store.queryLogs({ executionId: 'e1', taskRunId: id });
    expect(logs.map((l) => l.message)).toEqual(['Hello f from hello']);
    expect(logs[0]).toMatchObject({ taskId: 'hello', level: 'INFO', attemptNumber: 1, flowId: 'f' });
  });

  it('renders, coerces and reports outputs', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({ id: 'r', type: 'io.kestra.plugin.core.debug.Return', format: '{{ 1 + 2 }}' });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS', outputs: { value: '3' } });
  });

  it('writes an object rendered into a string property as JSON, as Kestra does', async () => {
    h = await openWorker({ inputValues: { obj: { a: { b: 1 } } } });
    h.worker.start();
    const id = await h.submit({ id: 'l', type: LOG, message: '{{ inputs.obj.a }}' });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS' });
    const logs = await h.store.queryLogs({ executionId: 'e1', taskRunId: id });
    expect(logs.map((l) => l.message)).toEqual(['{"b":1}']);
  });

  it('errorLogs() lists the ERROR logs of the execution', async () => {
    h = await openWorker();
    h.worker.start();
    const failed = await h.submit({
      id: 'boom',
      type: 'io.kestra.plugin.core.execution.Fail',
      errorMessage: 'it broke',
    });
    await h.waitFor(failed, 'task-result');
    const id = await h.submit({
      id: 'report',
      type: LOG,
      message: '{% for log in errorLogs() %}{{ log.taskId }}: {{ log.message }}{% endfor %}',
    });
    await h.waitFor(id, 'task-result');
    const logs = await h.store.queryLogs({ executionId: 'e1', taskRunId: id });
    expect(logs.map((l) => l.message)).toEqual(['boom: it broke']);
  });

  it('masks secrets and SECRET inputs in logs and errors', async () => {
    h = await openWorker({
      secrets: mapSecrets({ API_TOKEN: 'tok-123456' }),
      inputs: [{ id: 'pwd', type: 'SECRET' }],
      inputValues: { pwd: 'p@ssw0rd' },
    });
    h.worker.start();
    const id = await h.submit({
      id: 'l',
      type: LOG,
      message: "token={{ secret('API_TOKEN') }} pwd={{ inputs.pwd }}",
    });
    await h.waitFor(id, 'task-result');
    const logs = await h.store.queryLogs({ executionId: 'e1', taskRunId: id });
    expect(logs.map((l) => l.message)).toEqual(['token=****** pwd=******']);
    const failing = await h.submit({
      id: 'x',
      type: 'io.kestra.plugin.core.execution.Fail',
      errorMessage: "bad {{ secret('API_TOKEN') }}",
    });
    expect(await h.waitFor(failing, 'task-result')).toMatchObject({ state: 'FAILED', error: 'bad ******' });
  });

  it('a missing secret fails without retry, saying how to define it', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({ id: 'l', type: LOG, message: "{{ secret('NOPE') }}" });
    const result = await h.waitFor(id, 'task-result');
    expect(result).toMatchObject({ state: 'FAILED', retryable: false });
    expect(result.error).toContain('BATON_SECRET_NOPE');
  });

  it('caps a flood of output: long lines cut, lines past the limit counted, not stored', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({
      id: 'flood',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      commands: [
        "head -c 25000 /dev/zero | tr '\\0' x; echo",
        'yes 0123456789012345678901234567890123456789 | head -n 250000',
      ],
    });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS' });
    const logs = await h.store.queryLogs({ executionId: 'e1', taskRunId: id });
    const chars = logs.reduce((n, l) => n + l.message.length, 0);
    expect(chars).toBeLessThan(LOG_LIMITS.maxBytes + 1_000);
    expect(logs.some((l) => l.message.endsWith('… [15000 more characters cut]'))).toBe(true);
    expect(logs.filter((l) => l.message.includes('further lines are dropped'))).toHaveLength(1);
    const summary = logs.at(-1)!;
    expect(summary.level).toBe('WARN');
    expect(summary.message).toMatch(/^\d+ log line\(s\) \(\d+ characters\) were dropped by the log limit$/);
    const dropped = Number(summary.message.split(' ')[0]);
    // Every line of output is either stored or counted as dropped.
    expect(logs.filter((l) => l.message.startsWith('0123456789')).length + dropped).toBe(250_000);
  });

  it('drops log entries below the task logLevel', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({ id: 'l', type: LOG, logLevel: 'WARN', message: 'quiet' });
    const loud = await h.submit({ id: 'l2', type: LOG, logLevel: 'WARN', message: 'loud', level: 'ERROR' });
    await h.waitFor(id, 'task-result');
    await h.waitFor(loud, 'task-result');
    expect((await h.store.queryLogs({ executionId: 'e1' })).map((l) => l.message)).toEqual(['loud']);
  });

  it('fails a job on timeout with "Timeout after ..." and frees the slot', async () => {
    h = await openWorker({ slots: 1 });
    h.worker.start();
    const t0 = Date.now();
    const id = await h.submit({ id: 's', type: SLEEP, duration: 'PT30S', timeout: 'PT0.2S' });
    const next = await h.submit({ id: 'l', type: LOG, message: 'next' });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({
      state: 'FAILED',
      error: 'Timeout after PT0.2S',
    });
    expect(await h.waitFor(next, 'task-result')).toMatchObject({ state: 'SUCCESS' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('cancel() kills a running job: KILLED', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({ id: 's', type: SLEEP, duration: 'PT30S' });
    await h.waitFor(id, 'task-started');
    expect(h.worker.cancel(id)).toBe(true);
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'KILLED' });
    expect(await h.store.countQueue('worker')).toBe(0);
  });

  it('reports configuration errors as not retryable', async () => {
    h = await openWorker();
    h.worker.start();
    const unknown = await h.submit({ id: 'u', type: 'io.example.Unknown' });
    expect(await h.waitFor(unknown, 'task-result')).toMatchObject({ state: 'FAILED', retryable: false });
    const invalid = await h.submit({ id: 'v', type: SLEEP, duration: '{{ "soon" }}' });
    expect(await h.waitFor(invalid, 'task-result')).toMatchObject({ state: 'FAILED', retryable: false });
  });

  it('runs ten Sleep jobs at once', async () => {
    h = await openWorker();
    h.worker.start();
    const t0 = Date.now();
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h!.submit({ id: `s${i}`, type: SLEEP, duration: 'PT0.5S' })),
    );
    for (const id of ids) expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS' });
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('keeps its lease by heartbeat while a job runs longer than the lease', async () => {
    h = await openWorker({ leaseMs: 300 });
    h.worker.start();
    const id = await h.submit({ id: 's', type: SLEEP, duration: 'PT1.2S' });
    await h.waitFor(id, 'task-started');
    // Three lease lengths later, another worker still cannot claim the job: the heartbeat extended it.
    await new Promise((r) => setTimeout(r, 900));
    expect(await h.store.claim('worker', 'worker-2', 10, 300)).toEqual([]);
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS' });
    expect(await h.store.countQueue('worker')).toBe(0);
  });

  it('stop({ drain: false }) aborts and releases jobs for another worker', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({ id: 's', type: SLEEP, duration: 'PT30S' });
    await h.waitFor(id, 'task-started');
    await h.worker.stop({ drain: false });
    const claimed = await h.store.claim('worker', 'worker-2', 10, 1000);
    expect(claimed.map((m) => (m.payload as { taskRunId: string }).taskRunId)).toEqual([id]);
  });

  it('a database failure while loading a job is retried, not reported as the task failing', async () => {
    let failures = 2;
    h = await openWorker({
      beforeLoad: () => {
        if (failures-- > 0)
          throw new StoreFailureError(
            { kind: 'unreachable', code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED', retryable: true },
            undefined,
          );
      },
    });
    h.worker.start();
    const id = await h.submit({ id: 'hello', type: LOG, message: 'loaded' });
    expect(await h.waitFor(id, 'task-result')).toMatchObject({ state: 'SUCCESS', attempt: 1 });
    expect(failures).toBeLessThan(0);
  });

  it('removes the job working directory afterwards', async () => {
    h = await openWorker();
    h.worker.start();
    const id = await h.submit({
      id: 'sh',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      commands: ['echo "::{\\"outputs\\":{\\"dir\\":\\"$PWD\\"}}::"'],
    });
    const result = await h.waitFor(id, 'task-result');
    expect(result).toMatchObject({ state: 'SUCCESS' });
    const dir = (result.outputs as { vars: { dir: string } }).vars.dir;
    expect(dir).toContain(id);
    expect(existsSync(dir)).toBe(false);
  });
});
