/**
 * When a step cannot be computed (pure). The shell retries a failed step a few times; when it keeps
 * failing, or a message cannot even be read, the execution ends FAILED with the reason in its logs and
 * the messages are moved aside (dead letters): never retried forever, never blocking other executions.
 */
import { type Execution, isTerminal, type TaskRun } from '../execution/types.ts';
import type { ExecutionWrite, NewQueueMessage, QueueMessage } from '../store/types.ts';
import { stripTaskRuns } from './effects.ts';
import type { ExecutorMessage } from './messages.ts';
import { iso, newStateHistory, withLast, withState } from './state.ts';
import type { ExecutorEvent } from './types.ts';

/**
 * Tries of a failing step before the execution ends FAILED: a failure of a moment (a lock, a file being
 * replaced) passes on a second try; one that lasts ends the execution within seconds.
 */
export const MAX_STEP_ATTEMPTS = 5;
/** Wait before the first retry of a failed step, doubled at each: 250 + 500 + 1000 + 2000 ms in all. */
export const STEP_RETRY_MS = 250;
/**
 * Claims of a message without it ever being consumed, after which it is moved aside without trying
 * again: the process handling it died each time (a step that crashes or hangs the process). Above
 * MAX_STEP_ATTEMPTS, so that failures seen in-process go through the retries first, and high enough
 * that a few restarts after real crashes (kill -9, power loss) never make a message look poisonous.
 */
export const MAX_DELIVERIES = 10;

/** Wait before retrying a step whose messages were claimed `attempts` times. */
export const retryDelay = (attempts: number): number =>
  STEP_RETRY_MS * 2 ** Math.min(Math.max(0, attempts - 1), MAX_STEP_ATTEMPTS);

/** Why a group of messages must not be handled at all (retrying cannot help), if so. */
export const poisonReason = (group: readonly QueueMessage[]): string | undefined => {
  for (const m of group) {
    if (m.unreadable) return `queue message ${m.id} cannot be read: ${m.unreadable}`;
    const payload = m.payload as ExecutorMessage | undefined;
    if (payload?.type === 'unrecoverable') return payload.reason;
    if (m.attempts > MAX_DELIVERIES)
      return `queue message ${m.id} was delivered ${m.attempts} times without being handled (the process handling it may have died each time)`;
  }
  return undefined;
};

export interface GiveUp {
  write: ExecutionWrite;
  /** The execution as it ends (absent when none exists). */
  after?: Execution;
  /** Task runs ended by the give-up. */
  changed: TaskRun[];
  /** Task runs whose jobs must stop (those this process runs are cancelled after the commit). */
  cancel: string[];
}

/**
 * The write that gives up on `group`: its messages moved aside with `reason`; the execution, if it has
 * not ended, FAILED with every unfinished task run, the reason logged as an ERROR line, its queue purged
 * and its parent told. A flow-triggered execution that could not be created is stored FAILED (so that
 * the failure is seen where the execution was expected); a subflow that could not be, fails its parent's
 * task run.
 */
export const giveUpWrite = (input: {
  executionId: string;
  execution: Execution | undefined;
  group: readonly QueueMessage[];
  reason: string;
  now: number;
}): GiveUp => {
  const { executionId, group, reason, now } = input;
  const enqueue: NewQueueMessage[] = [];
  // A consumer's notice that it moved a message aside is consumed; everything else goes aside.
  const notice = (m: QueueMessage) => (m.payload as ExecutorMessage | null)?.type === 'unrecoverable';
  const write: ExecutionWrite = {
    deadLetters: group.filter((m) => !notice(m)).map((m) => ({ messageId: m.id, error: reason })),
    ack: group.filter(notice).map((m) => m.id),
    enqueue,
    purgeQueueOf: [executionId],
  };
  const payloads = group.filter((m) => !m.unreadable).map((m) => m.payload as ExecutorMessage);
  let execution = input.execution;
  if (!execution) {
    const subflow = payloads.find((p) => p?.type === 'create-subflow');
    if (subflow?.type === 'create-subflow') enqueue.push(subflowFailed(subflow.spec, executionId, reason));
    const triggered = payloads.find((p) => p?.type === 'create-triggered');
    if (triggered?.type !== 'create-triggered') return { write, changed: [], cancel: [] };
    execution = {
      id: executionId,
      namespace: triggered.namespace,
      flowId: triggered.flowId,
      flowRevision: triggered.revision ?? 0,
      state: newStateHistory('CREATED', now),
      inputs: {},
      labels: [{ key: 'system.correlationId', value: executionId }],
      trigger: triggered.trigger,
      taskRuns: [],
      attemptNumber: 1,
    };
  }
  const changed = execution.taskRuns
    .filter((t) => !isTerminal(t.state.current))
    .map((t) => failTaskRun(t, now));
  const byId = new Map(changed.map((t) => [t.id, t]));
  const ended = !isTerminal(execution.state.current);
  const after: Execution = {
    ...execution,
    state: ended ? withState(execution.state, 'FAILED', now) : execution.state,
    error: execution.error ?? reason,
    taskRuns: execution.taskRuns.map((t) => byId.get(t.id) ?? t),
    version: (execution.version ?? 0) + 1,
  };
  write.execution = stripTaskRuns(after);
  write.taskRuns = input.execution ? changed : [];
  write.logs = [
    {
      executionId,
      namespace: after.namespace,
      flowId: after.flowId,
      level: 'ERROR',
      message: `${reason}. Baton gave up on this execution: its messages were moved aside (see baton executions show ${executionId}).`,
      timestamp: iso(now),
    },
  ];
  if (ended && after.parentId && after.parentTaskRunId) {
    enqueue.push({
      queue: 'executor',
      executionId: after.parentId,
      payload: {
        type: 'subflow-update',
        taskRunId: after.parentTaskRunId,
        childExecutionId: after.id,
        state: 'FAILED',
        iteration:
          typeof after.trigger?.variables.iteration === 'number'
            ? after.trigger.variables.iteration
            : undefined,
      } satisfies ExecutorEvent,
    });
  }
  return { write, after, changed, cancel: changed.map((t) => t.id) };
};

const failTaskRun = (t: TaskRun, now: number): TaskRun => {
  const last = t.attempts.at(-1);
  const attempts =
    last && !isTerminal(last.state.current)
      ? withLast(t.attempts, { ...last, state: withState(last.state, 'FAILED', now) })
      : t.attempts;
  return { ...t, attempts, state: withState(t.state, 'FAILED', now) };
};

const subflowFailed = (
  spec: Extract<ExecutorMessage, { type: 'create-subflow' }>['spec'],
  childId: string,
  reason: string,
): NewQueueMessage => ({
  queue: 'executor',
  executionId: spec.parentExecutionId,
  payload: {
    type: 'subflow-update',
    taskRunId: spec.parentTaskRunId,
    childExecutionId: childId,
    state: 'FAILED',
    iteration: spec.iteration,
    error: reason,
  } satisfies ExecutorEvent,
});
