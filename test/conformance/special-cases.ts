/** Conformance cases that need more than one run to a terminal state (operators, subflows, timing). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { openSecrets } from '../../src/secrets/seal.ts';
import type { TestEngine } from '../helpers/engine.ts';
import { byTask, type Case } from './cases.ts';

/** The next execution of `flowId` to end (subscribe before starting what triggers it). */
const nextEnded = (engine: TestEngine, flowId: string) =>
  new Promise<Execution>((resolve) => {
    const on = (e: Execution) => {
      if (e.flowId !== flowId || !isTerminal(e.state.current)) return;
      engine.executor.off('execution', on);
      resolve(e);
    };
    engine.executor.on('execution', on);
  });

const historyOf = (states: { state: string }[], s: string) => states.filter((h) => h.state === s).length;

export const specialCases: Case[] = [
  {
    name: 'restart_last_failed',
    file: 'restart_last_failed.yaml',
    drive: async (engine, ns, id) => {
      const first = await engine.run(ns, id);
      expect(first.state.current).toBe('FAILED');
      expect(first.taskRuns).toHaveLength(3);
      expect(first.taskRuns[2]?.state.current).toBe('FAILED');
      await engine.executor.send(first.id, { type: 'restart' });
      const again = await engine.waitFor(
        first.id,
        (e) => e.state.histories.length > first.state.histories.length && isTerminal(e.state.current),
      );
      expect(again.state.histories.some((h) => h.state === 'RESTARTED')).toBe(true);
      expect(again.state.current).toBe('SUCCESS');
      expect(again.taskRuns).toHaveLength(4);
      expect(again.taskRuns[2]?.attempts).toHaveLength(2);
      expect(again.taskRuns.every((t) => t.state.current === 'SUCCESS')).toBe(true);
    },
  },
  {
    name: 'pause-delay',
    file: 'pause-delay.yaml',
    drive: async (engine, ns, id) => {
      const paused = await engine.run(ns, id, {}, { until: (e) => e.state.current === 'PAUSED' });
      expect(paused.taskRuns).toHaveLength(1);
      const done = await engine.waitFor(paused.id);
      expect(done.state.current).toBe('SUCCESS');
      expect(done.taskRuns).toHaveLength(3);
      const h = done.taskRuns[0]!.state.histories;
      expect(historyOf(h, 'PAUSED')).toBe(1);
      expect(historyOf(h, 'RUNNING')).toBe(2);
    },
  },
  {
    name: 'pause-timeout',
    file: 'pause-timeout.yaml',
    drive: async (engine, ns, id) => {
      const paused = await engine.run(ns, id, {}, { until: (e) => e.state.current === 'PAUSED' });
      expect(paused.taskRuns).toHaveLength(1);
      const done = await engine.waitFor(paused.id);
      expect(done.state.current).toBe('FAILED');
      expect(done.taskRuns).toHaveLength(1);
      const h = done.taskRuns[0]!.state.histories;
      expect(historyOf(h, 'PAUSED')).toBe(1);
      expect(historyOf(h, 'RUNNING')).toBe(1);
      expect(historyOf(h, 'FAILED')).toBe(1);
    },
  },
  {
    name: 'pause_on_resume_optional',
    file: 'pause_on_resume_optional.yaml',
    drive: async (engine, ns, id) => {
      const paused = await engine.run(ns, id, {}, { until: (e) => e.state.current === 'PAUSED' });
      await engine.executor.send(paused.id, { type: 'resume' });
      const done = await engine.waitFor(paused.id);
      expect(done.state.current).toBe('SUCCESS');
      expect((byTask(done, 'last').outputs?.values as Record<string, unknown> | undefined)?.asked).toBe(
        'MISSING',
      );
    },
  },
  ...(['OK', 'THIRD', 'FIRST'] as const).map(
    (input): Case => ({
      name: `task-flow ${input}`,
      file: 'task-flow.yaml',
      drive: async (engine, ns, id) => {
        const parent = await engine.run(
          ns,
          id,
          { string: input },
          { labels: [{ key: 'mainFlowExecutionLabel', value: 'execFoo' }] },
        );
        expect(parent.taskRuns).toHaveLength(1);
        expect(parent.taskRuns[0]?.attempts).toHaveLength(1);
        const outputs = parent.taskRuns[0]!.outputs ?? {};
        const child = await engine.waitFor(String(outputs.executionId));
        expect(child.trigger?.type).toContain('Subflow');
        expect(child.trigger?.variables).toMatchObject({
          executionId: parent.id,
          flowId: 'task-flow',
          namespace: 'io.kestra.tests',
        });
        expect(child.labels.map((l) => l.key).sort()).toEqual(
          [
            'launchTaskLabel',
            'mainFlowExecutionLabel',
            'mainFlowLabel',
            'switchFlowLabel',
            'system.correlationId',
          ].sort(),
        );
        if (input === 'OK') {
          expect(parent.state.current).toBe('SUCCESS');
          expect(child.state.current).toBe('SUCCESS');
          expect(child.taskRuns).toHaveLength(2);
          expect(
            String((outputs.outputs as Record<string, unknown>)?.extracted ?? outputs.extracted),
          ).toContain('default > amazing');
          expect(outputs.state).toBe('SUCCESS');
        } else if (input === 'THIRD') {
          expect(parent.state.current).toBe('FAILED');
          expect(child.state.current).toBe('FAILED');
          expect(child.taskRuns).toHaveLength(4);
          expect(outputs.state).toBe('FAILED');
        } else {
          expect(parent.state.current).toBe('FAILED');
          expect(child.state.current).toBe('SUCCESS');
          expect(child.taskRuns).toHaveLength(2);
        }
      },
    }),
  ),
  {
    name: 'subflow-parent correlation',
    file: 'subflow-parent.yaml',
    drive: async (engine, ns, id) => {
      const parent = await engine.run(ns, id);
      expect(parent.state.current).toBe('SUCCESS');
      const all = await engine.store.listExecutions({});
      const child = all.find((e) => e.parentId === parent.id);
      const grandChild = all.find((e) => child && e.parentId === child.id);
      const descendants = [child, grandChild].filter((e) => e !== undefined);
      expect(descendants).toHaveLength(2);
      for (const d of descendants) {
        expect(d.state.current).toBe('SUCCESS');
        expect(d.labels).toContainEqual({ key: 'system.correlationId', value: parent.id });
      }
    },
  },
  {
    name: 'labels-update-task',
    file: 'labels-update-task.yml',
    drive: async (engine, ns, id) => {
      const e = await engine.run(
        ns,
        id,
        {
          labelsJson: '{"keyFromJson": "valueFromJson"}',
          labelsMapKey: 'keyFromMap',
          labelsMapValue: 'valueFromMap',
          labelsListKey: 'keyFromList',
          labelsListValue: 'valueFromList',
        },
        {
          labels: [
            { key: 'keyFromExecution', value: 'valueFromExecution' },
            { key: 'overriddenExecutionLabelKey', value: 'executionValueThatWillGetOverridden' },
          ],
        },
      );
      expect(e.state.current).toBe('SUCCESS');
      expect(e.taskRuns).toHaveLength(4);
      const labels = Object.fromEntries(e.labels.map((l) => [l.key, l.value]));
      expect(labels).toMatchObject({
        'system.correlationId': e.id,
        flowLabelKey: 'flowLabelValue',
        overriddenFlowLabelKey: 'io.kestra.tests.labels-update-task',
        keyFromJson: 'valueFromJson',
        keyFromMap: 'valueFromMap',
        keyFromList: 'valueFromList',
        keyFromExecution: 'valueFromExecution',
        overriddenExecutionLabelKey: byTask(e, 'override-labels').id,
      });
    },
  },
  {
    name: 'flow-concurrency-cancel',
    file: 'flow-concurrency-cancel.yml',
    drive: async (engine, ns, id) => {
      const flow = await engine.flows.get(ns, id);
      const first = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      await engine.waitFor(first.id, (e) => e.state.current === 'RUNNING');
      const second = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      expect((await engine.waitFor(second.id)).state.current).toBe('CANCELLED');
      expect((await engine.waitFor(first.id)).state.current).toBe('SUCCESS');
    },
  },
  {
    name: 'flow-concurrency-queue',
    file: 'flow-concurrency-queue.yml',
    drive: async (engine, ns, id) => {
      const flow = await engine.flows.get(ns, id);
      const first = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      await engine.waitFor(first.id, (e) => e.state.current === 'RUNNING');
      const second = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      expect((await engine.waitFor(first.id)).state.current).toBe('SUCCESS');
      const s = await engine.waitFor(second.id);
      expect(s.state.current).toBe('SUCCESS');
      expect(s.state.histories.map((h) => h.state).slice(0, 3)).toEqual(['CREATED', 'QUEUED', 'RUNNING']);
    },
  },
  {
    name: 'for-each-item',
    file: 'for-each-item.yaml',
    drive: async (engine, ns, id) => {
      const path = join(engine.dataDir, 'items.txt');
      writeFileSync(path, `${Array.from({ length: 102 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
      const parent = await engine.run(ns, id, { file: { path }, batch: 4 });
      expect(parent.state.current).toBe('SUCCESS');
      expect(parent.taskRuns).toHaveLength(4);
      // Task run #3 is `each_items`: one SUCCESS attempt, and the batch counts.
      const items = parent.taskRuns[2]!;
      expect(items.taskId).toBe('each_items');
      expect(items.attempts.map((a) => a.state.current)).toEqual(['SUCCESS']);
      expect(items.outputs?.numberOfBatches).toBe(26);
      expect(items.outputs?.iterations).toEqual({ CREATED: 0, RUNNING: 0, SUCCESS: 26 });
      const children = (await engine.store.listExecutions({ flowId: 'for-each-item-subflow' })).filter(
        (e) => e.parentId === parent.id,
      );
      expect(children).toHaveLength(26);
      const last = (await engine.store.getExecution(children[0]!.id))!;
      expect(last.state.current).toBe('SUCCESS');
      expect(last.taskRuns).toHaveLength(1);
      expect(last.labels).toContainEqual({ key: 'system.correlationId', value: parent.id });
      expect(String(last.inputs.items), String(last.inputs.items)).toMatch(
        /^kestra:\/\/\/io\/kestra\/tests\/for-each-item\/executions\/.+\/tasks\/each-split\/.+\.txt$/,
      );
    },
  },
  {
    name: 'inputs',
    file: 'inputs.yaml',
    drive: async (engine, ns, id) => {
      const path = join(engine.dataDir, 'application-test.yml');
      writeFileSync(path, 'key: value\n');
      process.env.BATON_SECRET_UNUSED = 'x';
      const e = await engine.run(ns, id, {
        string: 'myString',
        enum: 'ENUM_VALUE',
        int: '42',
        float: '42.42',
        bool: 'false',
        instant: '2019-10-06T18:27:49Z',
        file: { path },
        secret: 'secret',
        array: '[1, 2, 3]',
        json: '{"a": "b"}',
        'nested.more.int': '123',
      });
      expect(e.state.current).toBe('SUCCESS');
      expect(e.taskRuns).toHaveLength(14);
      expect(String(byTask(e, 'file').outputs?.value)).toMatch(
        /^kestra:\/\/\/io\/kestra\/tests\/inputs\/executions\/.+\/inputs\/file\/application-test\.yml$/,
      );
      // An output carrying a SECRET input is stored sealed (encrypted) and opened for expressions.
      expect(byTask(e, 'secret').outputs?.value).toMatch(/^enc:v1:/);
      expect(openSecrets(byTask(e, 'secret').outputs, engine.cipher)?.value).toBe('secret');
      expect(byTask(e, 'optional').outputs?.value).toBe('');
      expect(e.inputs.int).toBe(42);
      expect(e.inputs.float).toBe(42.42);
      expect(e.inputs.bool).toBe(false);
      expect(e.inputs.instantDefaults).toBe('2013-08-09T14:19:00Z');
      expect(e.inputs.json).toEqual({ a: 'b' });
      expect(e.inputs.array).toEqual([1, 2, 3]);
      expect((e.inputs.nested as { more: { int: number } }).more.int).toBe(123);
      expect(e.inputs.secret).not.toBe('secret');
      await expect(engine.run(ns, id, { enum: 'ENUM_VALUE' })).rejects.toThrow(
        'Invalid input for `string`, missing required input, but received `null`',
      );
    },
  },
  {
    name: 'trigger-flow',
    file: 'trigger-flow.yaml',
    drive: async (engine, ns, id) => {
      const listened = nextEnded(engine, 'trigger-flow-listener');
      const upstream = await engine.run(ns, id);
      expect(upstream.state.current).toBe('SUCCESS');
      expect(upstream.taskRuns).toHaveLength(1);
      const listener = await listened;
      expect(listener.state.current).toBe('SUCCESS');
      expect(listener.taskRuns).toHaveLength(1);
      expect(listener.taskRuns[0]?.outputs?.value).toBe(`childs: from parents: ${upstream.id}`);
      expect(listener.trigger?.variables).toMatchObject({
        executionId: upstream.id,
        namespace: ns,
        flowId: id,
      });
    },
  },
  {
    name: 'trigger-multiplecondition',
    file: 'trigger-multiplecondition-flow-a.yaml',
    drive: async (engine, ns) => {
      const a = await engine.run(ns, 'trigger-multiplecondition-flow-a');
      expect(a.state.current).toBe('SUCCESS');
      const listened = nextEnded(engine, 'trigger-multiplecondition-listener');
      const b = await engine.run(ns, 'trigger-multiplecondition-flow-b');
      const listener = await listened;
      expect(listener.state.current).toBe('SUCCESS');
      expect(listener.taskRuns).toHaveLength(1);
      expect(listener.trigger?.variables).toMatchObject({
        executionId: b.id,
        flowId: 'trigger-multiplecondition-flow-b',
      });
      const all = await engine.store.listExecutions({ flowId: 'trigger-multiplecondition-listener' });
      expect(all).toHaveLength(1);
    },
  },
];
