import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as echoRun } from '../../src/tasks/debug/echo.run.ts';
import { run as returnRun } from '../../src/tasks/debug/return.run.ts';
import { run as assertRun } from '../../src/tasks/execution/assert.run.ts';
import { run as exitRun } from '../../src/tasks/execution/exit.run.ts';
import { run as failRun } from '../../src/tasks/execution/fail.run.ts';
import { run as labelsRun } from '../../src/tasks/execution/labels.run.ts';
import { run as resumeRun } from '../../src/tasks/execution/resume.run.ts';
import { run as sleepRun } from '../../src/tasks/flow/sleep.run.ts';
import { run as logRun } from '../../src/tasks/log/log.run.ts';
import { run as outputValuesRun } from '../../src/tasks/output/output-values.run.ts';
import { TaskError } from '../../src/tasks/types.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.dispose());

describe('log.Log / debug.Echo', () => {
  it('logs one entry per message at the level', async () => {
    const { ctx, logs } = h.context();
    await runWith(logRun, ctx, { message: ['one', 'two'], level: 'WARN' });
    expect(logs().map((l) => [l.level, l.message])).toEqual([
      ['WARN', 'one'],
      ['WARN', 'two'],
    ]);
  });
  it('defaults to INFO for a single message', async () => {
    const { ctx, logs } = h.context();
    await runWith(logRun, ctx, { message: 'hello' });
    expect(logs()[0]).toMatchObject({ level: 'INFO', message: 'hello', taskId: 't', executionId: 'exec1' });
  });
  it('Echo logs its format', async () => {
    const { ctx, logs } = h.context();
    expect(await runWith(echoRun, ctx, { format: 'hi', level: 'ERROR' })).toEqual({});
    expect(logs()[0]).toMatchObject({ level: 'ERROR', message: 'hi' });
  });
});

describe('debug.Return / output.OutputValues', () => {
  it('Return outputs value as a string', async () => {
    const { ctx } = h.context();
    expect(await runWith(returnRun, ctx, { format: 42 })).toEqual({ outputs: { value: '42' } });
  });
  it('OutputValues outputs values', async () => {
    const { ctx } = h.context();
    expect(await runWith(outputValuesRun, ctx, { values: { a: 1, b: [2] } })).toEqual({
      outputs: { values: { a: 1, b: [2] } },
    });
  });
});

describe('flow.Sleep', () => {
  it('waits the duration', async () => {
    const { ctx } = h.context();
    const t0 = Date.now();
    await runWith(sleepRun, ctx, { duration: 'PT0.2S' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });
  it('returns at once when aborted', async () => {
    const controller = new AbortController();
    const { ctx } = h.context({ signal: controller.signal });
    const t0 = Date.now();
    const p = runWith(sleepRun, ctx, { duration: 'PT30S' });
    controller.abort();
    await p;
    expect(Date.now() - t0).toBeLessThan(1000);
  });
  it('rejects a malformed duration as not retryable', async () => {
    const { ctx } = h.context();
    await expect(runWith(sleepRun, ctx, { duration: '5 seconds' })).rejects.toMatchObject({
      retryable: false,
    });
  });
});

describe('execution.Fail / Exit / Assert', () => {
  it('Fail fails with the default message', async () => {
    const { ctx } = h.context();
    await expect(runWith(failRun, ctx, {})).rejects.toThrow('Task failure');
  });
  it('Fail with a falsy condition succeeds, truthy fails with errorMessage', async () => {
    const { ctx } = h.context();
    expect(await runWith(failRun, ctx, { condition: 'false' })).toEqual({});
    expect(await runWith(failRun, ctx, { condition: false })).toEqual({});
    await expect(runWith(failRun, ctx, { condition: 'true', errorMessage: 'bad' })).rejects.toThrow('bad');
  });
  it('Exit asks for the exit effect', async () => {
    const { ctx } = h.context();
    expect(await runWith(exitRun, ctx, {})).toEqual({ effects: [{ kind: 'exit', state: 'SUCCESS' }] });
    expect(await runWith(exitRun, ctx, { state: 'KILLED' })).toEqual({
      effects: [{ kind: 'exit', state: 'KILLED' }],
    });
  });
  it('Assert passes when all conditions hold and lists failures otherwise', async () => {
    const { ctx, logs } = h.context({ variables: { inputs: { n: 3 } } });
    expect(
      await runWith(assertRun, ctx, { conditions: ['{{ inputs.n == 3 }}', '{{ inputs.n > 1 }}'] }),
    ).toEqual({});
    const err = await runWith(assertRun, ctx, {
      conditions: ['{{ inputs.n == 3 }}', '{{ inputs.n > 5 }}'],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect(err.message).toContain('{{ inputs.n > 5 }}');
    expect(err.message).not.toContain('{{ inputs.n == 3 }}');
    expect(logs().some((l) => l.level === 'ERROR' && l.message.includes('inputs.n > 5'))).toBe(true);
  });
});

describe('execution.Labels', () => {
  it('accepts a map, a list and a JSON string', async () => {
    const { ctx } = h.context();
    const expected = { effects: [{ kind: 'labels', labels: [{ key: 'a', value: '1' }] }] };
    expect(await runWith(labelsRun, ctx, { labels: { a: 1 } })).toEqual(expected);
    expect(await runWith(labelsRun, ctx, { labels: [{ key: 'a', value: '1' }] })).toEqual(expected);
    expect(await runWith(labelsRun, ctx, { labels: '{"a":"1"}' })).toEqual(expected);
    const templated = await runWith(labelsRun, h.context({ variables: { inputs: { k: 'team' } } }).ctx, {
      labels: { '{{ inputs.k }}': 'data' },
    });
    expect(templated).toEqual({ effects: [{ kind: 'labels', labels: [{ key: 'team', value: 'data' }] }] });
    await expect(runWith(labelsRun, ctx, { labels: 'not json' })).rejects.toMatchObject({ retryable: false });
  });
});

describe('execution.Resume', () => {
  it('resumes the current execution by default', async () => {
    const { ctx, resumed } = h.context();
    await runWith(resumeRun, ctx, { inputs: { ok: true } });
    expect(resumed).toEqual([{ id: 'exec1', inputs: { ok: true } }]);
  });
  it('refuses an unknown execution', async () => {
    const { ctx } = h.context();
    await expect(runWith(resumeRun, ctx, { executionId: 'nope' })).rejects.toThrow('not found');
  });
});
