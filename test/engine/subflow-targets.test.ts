/**
 * Flows that cannot be executed, on a real embedded engine: a disabled flow is refused (directly and as
 * a subflow, as Kestra does), and a Subflow task pointing to a missing flow fails with the reason logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowDisabledError } from '../../src/executor/create.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
const subflowTo = (id: string, target: string, extra = '') => `id: ${id}
namespace: targets
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: targets
    flowId: ${target}
${extra}`;

beforeAll(async () => {
  engine = await startEngine();
  await engine.deploy(`id: off
namespace: targets
disabled: true
tasks:
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: should not run
`);
  await engine.deploy(subflowTo('calls-off', 'off'));
  await engine.deploy(subflowTo('calls-missing', 'nope'));
  await engine.deploy(subflowTo('calls-missing-revision', 'nope', '    revision: 7\n'));
  await engine.deploy(subflowTo('calls-missing-nowait', 'nope', '    wait: false\n'));
});
afterAll(async () => engine?.dispose());

const errorLogs = async (executionId: string) =>
  (await engine.store.queryLogs({ executionId, minLevel: 'ERROR' })).map((l) => l.message);

describe('a disabled flow', () => {
  it('is refused at execution creation, and nothing is stored', async () => {
    const flow = await engine.flows.get('targets', 'off');
    const before = await engine.store.countExecutions({});
    await expect(engine.executor.createExecution({ flow, revision: flow.revision ?? 1 })).rejects.toThrow(
      FlowDisabledError,
    );
    await expect(engine.executor.createExecution({ flow, revision: flow.revision ?? 1 })).rejects.toThrow(
      'Cannot execute a flow which is disabled: targets.off',
    );
    expect(await engine.store.countExecutions({})).toBe(before);
  });

  it('fails the Subflow task that points to it, with the reason in its log', async () => {
    const e = await engine.run('targets', 'calls-off');
    expect(e.state.current).toBe('FAILED');
    const call = e.taskRuns.find((t) => t.taskId === 'call')!;
    expect(call.state.current).toBe('FAILED');
    expect(call.outputs?.executionId).toBeUndefined();
    expect(await errorLogs(e.id)).toContain(
      'Unable to start the subflow: Cannot execute a flow which is disabled: targets.off',
    );
    expect(await engine.store.countExecutions({ namespace: 'targets', flowId: 'off' })).toBe(0);
  });
});

describe('a Subflow pointing to a flow that does not exist', () => {
  it('fails with an ERROR log line naming the flow, and no executionId output', async () => {
    const e = await engine.run('targets', 'calls-missing');
    expect(e.state.current).toBe('FAILED');
    const call = e.taskRuns.find((t) => t.taskId === 'call')!;
    expect(call.state.current).toBe('FAILED');
    expect(call.outputs?.executionId).toBeUndefined();
    expect(await errorLogs(e.id)).toEqual(['Unable to start the subflow: Flow not found: targets.nope']);
  });

  it('names the revision when one is given', async () => {
    const e = await engine.run('targets', 'calls-missing-revision');
    expect(e.state.current).toBe('FAILED');
    expect(await errorLogs(e.id)).toEqual([
      'Unable to start the subflow: Flow not found: targets.nope (revision 7)',
    ]);
  });

  it('fails with wait: false too', async () => {
    const e = await engine.run('targets', 'calls-missing-nowait');
    expect(e.state.current).toBe('FAILED');
    expect(e.taskRuns[0]?.outputs?.executionId).toBeUndefined();
  });
});
