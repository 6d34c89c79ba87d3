import { describe, expect, it } from 'vitest';
import type { Execution, Flow } from '../api/types.ts';
import { resumeInputs } from './resume-inputs.ts';
import { state, taskRun } from './test-task-runs.ts';

describe('resumeInputs', () => {
  it('lists the onResume inputs of the paused Pause tasks, at any depth', () => {
    const flow = {
      id: 'f',
      namespace: 'n',
      revision: 1,
      disabled: false,
      deleted: false,
      tasks: [
        {
          id: 'seq',
          type: 'io.kestra.plugin.core.flow.Sequential',
          tasks: [
            {
              id: 'approve',
              type: 'io.kestra.plugin.core.flow.Pause',
              onResume: [{ id: 'ok', type: 'BOOLEAN' }],
            },
          ],
        },
        {
          id: 'later',
          type: 'io.kestra.plugin.core.flow.Pause',
          onResume: [{ id: 'other', type: 'STRING' }],
        },
      ],
    } as Flow;
    const execution = {
      taskRunList: [taskRun('1', 'seq', state('RUNNING', 0)), taskRun('2', 'approve', state('PAUSED', 1))],
    } as Execution;
    expect(resumeInputs(flow, execution)).toEqual([{ id: 'ok', type: 'BOOLEAN' }]);
    expect(resumeInputs(undefined, execution)).toEqual([]);
  });
});
