/**
 * Turning a step's side effects into queue messages of its write (pure): worker jobs, timers, subflow
 * creations, kills, logs. Everything here commits with the step itself, so none of it can be lost.
 */
import type { Execution } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';
import type { Flow } from '../flow/types.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import { sealedSecrets } from '../secrets/seal.ts';
import type { ExecutionWrite, NewQueueMessage } from '../store/types.ts';
import { newId } from '../util/ids.ts';
import { runIndex } from './context.ts';
import type { SubflowSpec, WorkerJobMessage } from './messages.ts';
import type { ExecutorEvent, SideEffect } from './types.ts';
import { applyGroupFallback } from './worker-groups.ts';

export const effectToWrite = (
  execution: Execution,
  effect: SideEffect,
  write: ExecutionWrite,
  ended: boolean,
  /** Worker groups with no live worker (see worker-groups.ts). */
  unserved?: ReadonlySet<string>,
): void => {
  const enqueue = write.enqueue!;
  switch (effect.kind) {
    case 'dispatch': {
      const job: WorkerJobMessage = {
        type: 'job',
        executionId: execution.id,
        taskRunId: effect.taskRun.id,
        attempt: effect.attempt,
        task: effect.task,
        workingDirectory: effect.workingDirectory,
        version: execution.version,
      };
      const group = effect.task.workerGroup?.key;
      if (group && unserved?.has(group) && !applyGroupFallback(execution, effect, write)) return;
      enqueue.push({
        queue: 'worker',
        executionId: execution.id,
        payload: job,
        ...(group ? { workerGroup: group } : {}),
      });
      return;
    }
    case 'timer':
      // A timer addressed to an execution that just ended would be purged anyway.
      if (!ended)
        enqueue.push({
          queue: 'executor',
          executionId: execution.id,
          payload: effect.event,
          availableAt: effect.at,
        });
      return;
    case 'start-subflow': {
      const spec: SubflowSpec = {
        parentExecutionId: execution.id,
        parentTaskRunId: effect.parentTaskRunId,
        namespace: effect.namespace,
        flowId: effect.flowId,
        revision: effect.revision,
        inputs: effect.inputs,
        labels: effect.labels,
        wait: effect.wait,
        iteration: effect.iteration,
        trigger: effect.trigger,
        secrets: effect.secrets,
      };
      enqueue.push({ queue: 'executor', executionId: newId(), payload: { type: 'create-subflow', spec } });
      return;
    }
    case 'kill-execution':
      enqueue.push({ queue: 'executor', executionId: effect.executionId, payload: { type: 'kill' } });
      return;
    case 'new-execution-attempt':
      enqueue.push({
        queue: 'executor',
        executionId: newId(),
        payload: { type: 'create-attempt', fromExecutionId: effect.fromExecutionId },
        availableAt: effect.at,
      });
      return;
    case 'log':
      write.logs!.push(effect.entry);
      return;
    case 'cancel-job':
      return; // after commit
  }
};

export const stripTaskRuns = (e: Execution): Omit<Execution, 'taskRuns'> => {
  const { taskRuns: _, ...rest } = e;
  return rest;
};

/** The message that tells a parent execution how its subflow is doing. */
export const parentUpdate = (child: Execution, childFlow: Flow, cipher: SecretCipher): NewQueueMessage => ({
  queue: 'executor',
  executionId: child.parentId!,
  payload: {
    type: 'subflow-update',
    taskRunId: child.parentTaskRunId!,
    childExecutionId: child.id,
    state: child.state.current,
    outputs: child.outputs,
    // The child's task outputs, for a Subflow task's own `outputs:` property (rendered by the parent).
    taskOutputs: isTerminal(child.state.current) ? runIndex(childFlow, child).outputs() : undefined,
    secrets: sealedSecrets(childFlow, child, cipher),
    iteration:
      typeof child.trigger?.variables.iteration === 'number' ? child.trigger.variables.iteration : undefined,
  } satisfies ExecutorEvent,
});
