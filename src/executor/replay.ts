/**
 * Replay: a new execution that copies an old one up to a chosen task run, then runs from there. Task runs
 * created before the chosen one are kept (with new ids); the chosen one, its descendants and everything
 * created after it are dropped so that the executor creates them again; its ancestors run again.
 */
import type { Execution, TaskRun } from '../execution/types.ts';
import { append } from './state.ts';

export const replayExecution = (
  original: Execution,
  from: string,
  newId: () => string,
  now: number,
): Execution => {
  const runs = original.taskRuns;
  const index = runs.findIndex((t) => t.id === from || t.taskId === from);
  if (index < 0)
    throw new Error(`execution ${original.id} has no task run '${from}' (give a task id or a task run id)`);
  const chosen = runs[index]!;
  const byId = new Map(runs.map((t) => [t.id, t]));
  const ancestors = new Set<string>();
  for (let p = chosen.parentTaskRunId; p; p = byId.get(p)?.parentTaskRunId) ancestors.add(p);
  const date = new Date(now).toISOString();
  const id = newId();
  const idMap = new Map<string, string>();
  const kept: TaskRun[] = [];
  for (const t of runs.slice(0, index)) {
    if (isDescendant(t, chosen.id, byId)) continue;
    idMap.set(t.id, newId());
    kept.push(t);
  }
  const taskRuns = kept.map((t): TaskRun => {
    const copy: TaskRun = {
      ...t,
      id: idMap.get(t.id)!,
      executionId: id,
      parentTaskRunId: t.parentTaskRunId ? idMap.get(t.parentTaskRunId) : undefined,
    };
    if (ancestors.has(t.id)) {
      copy.state = {
        current: 'RUNNING',
        startDate: t.state.startDate,
        histories: append(t.state.histories, { state: 'RUNNING', date }),
      };
    }
    return copy;
  });
  return {
    ...original,
    id,
    originalId: original.originalId ?? original.id,
    state: {
      current: 'RESTARTED',
      startDate: date,
      histories: [
        { state: 'CREATED', date },
        { state: 'RESTARTED', date },
      ],
    },
    outputs: undefined,
    error: undefined,
    labels: original.labels.map((l) => (l.key === 'system.correlationId' ? { key: l.key, value: id } : l)),
    taskRuns,
  };
};

const isDescendant = (t: TaskRun, ancestorId: string, byId: Map<string, TaskRun>): boolean => {
  for (let p = t.parentTaskRunId; p; p = byId.get(p)?.parentTaskRunId) if (p === ancestorId) return true;
  return false;
};
