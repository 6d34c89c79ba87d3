/**
 * trigger.Toggle on the real engine: a Flow trigger turned off does not start its flow, turned on again
 * it does; unknown flows and triggers are errors, as in Kestra.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
  await engine.deploy(`id: up
namespace: toggle
tasks:
  - id: l
    type: io.kestra.plugin.core.log.Log
    message: up
`);
  await engine.deploy(`id: down
namespace: toggle
tasks:
  - id: l
    type: io.kestra.plugin.core.log.Log
    message: down
triggers:
  - id: after_up
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: toggle
        flowId: up
`);
  await engine.deploy(`id: switch
namespace: toggle
inputs:
  - id: enabled
    type: BOOLEAN
  - id: trigger
    type: STRING
    defaults: after_up
tasks:
  - id: toggle
    type: toggle
    flowId: down
    trigger: "{{ inputs.trigger }}"
    enabled: "{{ inputs.enabled }}"
`);
});
afterAll(async () => engine?.dispose());

const downExecutions = async (): Promise<Execution[]> =>
  (await engine.store.listExecutions({ namespace: 'toggle', flowId: 'down' })) as Execution[];

const downEnded = (): Promise<Execution> =>
  new Promise((resolve) => {
    const on = (e: Execution) => {
      if (e.flowId !== 'down' || !isTerminal(e.state.current)) return;
      engine.executor.off('execution', on);
      resolve(e);
    };
    engine.executor.on('execution', on);
  });

describe('trigger.Toggle', () => {
  it('turns a Flow trigger off, then on again', async () => {
    expect((await engine.run('toggle', 'switch', { enabled: false })).state.current).toBe('SUCCESS');
    // Executions that Flow triggers start are written in the transaction that ends the upstream one:
    // once `up` has ended, a `down` execution would exist already.
    expect((await engine.run('toggle', 'up')).state.current).toBe('SUCCESS');
    expect(await downExecutions()).toEqual([]);

    expect((await engine.run('toggle', 'switch', { enabled: true })).state.current).toBe('SUCCESS');
    const ended = downEnded();
    const up = await engine.run('toggle', 'up');
    const down = await ended;
    expect(down.trigger?.variables).toMatchObject({ executionId: up.id });
    expect(await downExecutions()).toHaveLength(1);
  });

  it('fails on a trigger the flow does not have', async () => {
    const e = await engine.run('toggle', 'switch', { enabled: false, trigger: 'nope' });
    expect(e.state.current).toBe('FAILED');
    const logs = await engine.store.queryLogs({ executionId: e.id, minLevel: 'ERROR' });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/Unable to find trigger nope/);
  });
});
