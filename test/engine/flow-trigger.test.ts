/**
 * Flow triggers on a real embedded engine. Kestra creates a flow-triggered execution without validating
 * its inputs against the flow (Flow.evaluate only renders the trigger's `inputs`; FlowTriggerCaseTest's
 * `trigger-flow-listener-namespace-condition` has a required input no trigger gives, and ends SUCCESS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;

/** The next execution of `flowId` to end (subscribe before starting what triggers it). */
const nextEnded = (flowId: string) =>
  new Promise<Execution>((resolve) => {
    const on = (e: Execution) => {
      if (e.flowId !== flowId || !isTerminal(e.state.current)) return;
      engine.executor.off('execution', on);
      resolve(e);
    };
    engine.executor.on('execution', on);
  });

beforeAll(async () => {
  engine = await startEngine();
  await engine.deploy(`id: up
namespace: trig
tasks:
  - id: only
    type: io.kestra.plugin.core.debug.Return
    format: "42"
`);
  await engine.deploy(`id: listener
namespace: trig
inputs:
  - id: from_parent
    type: STRING
  - id: count
    type: INT
  - id: greeting
    type: STRING
    defaults: hello
tasks:
  - id: simple_output
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.greeting }} {{ inputs.count }}"
triggers:
  - id: parent
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      count: not a number
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: trig
        flowId: up
`);
});
afterAll(async () => engine?.dispose());

describe('a flow-triggered execution whose inputs fail validation', () => {
  it('is created and runs (missing required input absent, invalid value kept, defaults applied)', async () => {
    const listened = nextEnded('listener');
    const up = await engine.run('trig', 'up');
    expect(up.state.current).toBe('SUCCESS');
    const listener = await listened;
    expect(listener.state.current).toBe('SUCCESS');
    expect(listener.inputs).toEqual({ count: 'not a number', greeting: 'hello' });
    expect(listener.taskRuns[0]?.outputs?.value).toBe('hello not a number');
    expect(listener.trigger?.variables).toMatchObject({ executionId: up.id, flowId: 'up' });
    const warnings = (await engine.store.queryLogs({ executionId: listener.id, minLevel: 'WARN' })).map(
      (l) => l.message,
    );
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Invalid input for `from_parent`, missing required input'),
        expect.stringContaining('Invalid input for `count`'),
      ]),
    );
  });

  it('leaves the executor running: the next upstream execution triggers again', async () => {
    const listened = nextEnded('listener');
    const up = await engine.run('trig', 'up');
    const listener = await listened;
    expect(listener.trigger?.variables).toMatchObject({ executionId: up.id });
    expect(listener.state.current).toBe('SUCCESS');
  });

  it('a triggered execution that cannot be built (flow gone) does not stop the executor', async () => {
    // As the executor queues it when an upstream execution ends; the flow no longer exists.
    await engine.store.enqueue([
      {
        queue: 'executor',
        executionId: 'triggered-of-a-deleted-flow',
        payload: {
          type: 'create-triggered',
          namespace: 'trig',
          flowId: 'deleted',
          inputs: {},
          trigger: { id: 'parent', type: 'io.kestra.plugin.core.trigger.Flow', variables: {} },
        },
      },
    ]);
    const listened = nextEnded('listener');
    expect((await engine.run('trig', 'up')).state.current).toBe('SUCCESS');
    expect((await listened).state.current).toBe('SUCCESS');
    expect(await engine.store.getExecution('triggered-of-a-deleted-flow')).toBeUndefined();
  });
});
