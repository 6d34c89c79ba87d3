/**
 * Worker groups (a task's `workerGroup: { key, fallback }`, Kestra's properties): a job of a group goes
 * only to workers started with that group (`baton worker --group NAME`). When no live worker of the
 * group is recorded (`instances`, see src/runtime/heartbeat.ts), `fallback` decides, as in Kestra:
 * WAIT (the default) leaves the job queued until one starts, FAIL ends the task run FAILED, CANCEL ends
 * it KILLED. Each says so with a WARN line in the execution's logs. `applyGroupFallback` is pure: the
 * caller says which groups have no live worker (`unservedGroups`).
 */
import type { Execution, LogLevel } from '../execution/types.ts';
import type { Flow } from '../flow/types.ts';
import type { ExecutionWrite } from '../store/types.ts';
import type { ExecutorEvent, SideEffect } from './types.ts';

type Dispatch = Extract<SideEffect, { kind: 'dispatch' }>;

/**
 * Applies the fallback of a dispatch whose group has no live worker; returns whether the job is still
 * to be queued (WAIT).
 */
export const applyGroupFallback = (
  execution: Execution,
  effect: Dispatch,
  write: ExecutionWrite,
): boolean => {
  const group = effect.task.workerGroup?.key ?? '';
  const fallback = effect.task.workerGroup?.fallback ?? 'WAIT';
  const log = (level: LogLevel, message: string) =>
    write.logs!.push({
      executionId: execution.id,
      taskRunId: effect.taskRun.id,
      taskId: effect.taskRun.taskId,
      attemptNumber: effect.attempt,
      namespace: execution.namespace,
      flowId: execution.flowId,
      level,
      message,
      timestamp: new Date().toISOString(),
    });
  const none = `No live worker of worker group '${group}'`;
  if (fallback === 'FAIL' || fallback === 'CANCEL') {
    const failed = fallback === 'FAIL';
    const message = `${none}: the task run ${failed ? 'fails' : 'is cancelled'} (workerGroup.fallback: ${fallback}); start one with baton worker --group ${group}`;
    log('WARN', message);
    const result: ExecutorEvent = {
      type: 'task-result',
      taskRunId: effect.taskRun.id,
      attempt: effect.attempt,
      state: failed ? 'FAILED' : 'KILLED',
      error: message,
      retryable: false,
    };
    write.enqueue!.push({ queue: 'executor', executionId: execution.id, payload: result });
    return false;
  }
  log(
    'WARN',
    `${none}: the task waits for one (workerGroup.fallback: WAIT); start one with baton worker --group ${group}`,
  );
  return true;
};

/** The worker groups of these dispatches that no live worker serves (looked up only when there are some). */
export const unservedGroups = async (
  effects: readonly SideEffect[],
  live: ((group: string) => Promise<boolean>) | undefined,
): Promise<Set<string> | undefined> => {
  const groups = new Set<string>();
  for (const e of effects)
    if (e.kind === 'dispatch' && e.task.workerGroup?.key) groups.add(e.task.workerGroup.key);
  if (!live || groups.size === 0) return undefined;
  const unserved = new Set<string>();
  for (const g of groups) if (!(await live(g))) unserved.add(g);
  return unserved;
};

/** Dispatches of tasks without a `workerGroup` take the flow's (Kestra's flow-level `workerGroup`). */
export const withFlowGroup = (effects: SideEffect[], flow: Flow): SideEffect[] => {
  const group = flow.workerGroup;
  if (!group) return effects;
  return effects.map((e) =>
    e.kind === 'dispatch' && !e.task.workerGroup ? { ...e, task: { ...e.task, workerGroup: group } } : e,
  );
};

/** The step's effects with the flow's default group applied, and the groups no live worker serves. */
export const routeToGroups = async (
  effects: SideEffect[],
  flow: Flow,
  live: ((group: string) => Promise<boolean>) | undefined,
): Promise<{ effects: SideEffect[]; unserved?: Set<string> }> => {
  const routed = withFlowGroup(effects, flow);
  return { effects: routed, unserved: await unservedGroups(routed, live) };
};
