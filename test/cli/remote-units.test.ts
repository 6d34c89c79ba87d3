/**
 * The pure parts of the `--server` commands: Kestra's execution JSON back into Baton's model (what the
 * live view needs survives the round trip), which task runs changed between two states, and the
 * server-sent events reader over chunks cut anywhere.
 */
import { describe, expect, it } from 'vitest';
import { changedTaskRuns, fromKestraExecution } from '../../src/cli/remote/kestra.ts';
import { readEvents } from '../../src/cli/remote/sse.ts';
import type { Execution, TaskRun } from '../../src/execution/types.ts';
import { plainCipher } from '../../src/secrets/encryption.ts';
import { toKestraExecution } from '../../src/server/kestra/execution-json.ts';

const state = (current: TaskRun['state']['current'], end = false) => ({
  current,
  startDate: '2025-01-01T00:00:00.000Z',
  ...(end ? { endDate: '2025-01-01T00:00:01.500Z' } : {}),
  histories: [
    { state: 'CREATED' as const, date: '2025-01-01T00:00:00.000Z' },
    { state: current, date: '2025-01-01T00:00:01.500Z' },
  ],
});

const taskRun = (id: string, over: Partial<TaskRun> = {}): TaskRun => ({
  id,
  executionId: 'e1',
  namespace: 'ns',
  flowId: 'f',
  taskId: id,
  attempts: [{ state: state('SUCCESS', true) }],
  state: state('SUCCESS', true),
  ...over,
});

const execution: Execution = {
  id: 'e1',
  namespace: 'ns',
  flowId: 'f',
  flowRevision: 3,
  state: state('RETRIED', true),
  inputs: { name: 'x' },
  labels: [{ key: 'team', value: 'data' }],
  outputs: { out: 'value' },
  originalId: 'e0',
  attemptNumber: 2,
  taskRuns: [
    taskRun('loop'),
    taskRun('child', { parentTaskRunId: 'loop', value: 'a', iteration: 0, outputs: { v: 1 } }),
  ],
};

describe('Kestra execution JSON back into the model', () => {
  it('keeps what the views show: states with dates, task runs with parents, values and attempts', () => {
    const back = fromKestraExecution(toKestraExecution(execution, plainCipher));
    expect(back).toEqual(execution);
  });

  it('an execution that is its own original has no originalId', () => {
    const { originalId: _, ...first } = execution;
    expect(fromKestraExecution(toKestraExecution(first, plainCipher)).originalId).toBeUndefined();
  });

  it('changed task runs: new ones and those whose state or attempts changed', () => {
    const before: Execution = {
      ...execution,
      taskRuns: [taskRun('a', { state: state('RUNNING') }), taskRun('b')],
    };
    const after: Execution = {
      ...execution,
      taskRuns: [taskRun('a', { state: state('SUCCESS', true) }), taskRun('b'), taskRun('c')],
    };
    expect(changedTaskRuns(before, after).map((t) => t.id)).toEqual(['a', 'c']);
    expect(changedTaskRuns(undefined, after).map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(changedTaskRuns(after, after)).toEqual([]);
  });
});

describe('server-sent events reader', () => {
  const response = (chunks: string[]) =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
          controller.close();
        },
      }),
    );

  it('names events by id (or event), joins data lines, skips comments, across any cut', async () => {
    const text =
      'id: start\ndata: {"id":"x"}\n\n: keep-alive\n\nevent: custom\nid: progress\ndata: one\ndata: two\n\r\nid: end\r\ndata: é\r\n\r\n';
    // Cut every 3 bytes, splitting lines and a multi-byte character.
    const bytes = new TextEncoder().encode(text);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) parts.push(bytes.slice(i, i + 3));
    const stream = new Response(
      new ReadableStream({
        start(controller) {
          for (const p of parts) controller.enqueue(p);
          controller.close();
        },
      }),
    );
    const events = [];
    for await (const e of readEvents(stream)) events.push(e);
    expect(events).toEqual([
      { name: 'start', data: '{"id":"x"}' },
      { name: 'custom', data: 'one\ntwo' },
      { name: 'end', data: 'é' },
    ]);
    const whole = [];
    for await (const e of readEvents(response([text]))) whole.push(e);
    expect(whole).toEqual(events);
  });
});
