/**
 * Why task runs failed, for `baton run`: the last ERROR log line of each task run that turns FAILED (the
 * worker writes a task's logs in the same transaction as its result, so they are there when the executor
 * reports the state). Looked up as failures happen, so the live view can show them under the task.
 */
import type { Execution, TaskRun } from '../execution/types.ts';

/** Where the reasons are read: the embedded store, or a server's logs API (`baton run --server`). */
export interface FailureLogs {
  queryLogs(filter: {
    executionId: string;
    taskRunId: string;
    minLevel: 'WARN';
  }): Promise<readonly { level: string; message: string }[]>;
}

export interface Failure {
  taskRun: TaskRun;
  reason: string;
}

export class FailureReasons {
  private readonly store: FailureLogs;
  private readonly onReason: (taskRun: TaskRun, reason: string) => void;
  private readonly lookups = new Map<string, Promise<void>>();
  private readonly found: Failure[] = [];

  constructor(store: FailureLogs, onReason: (taskRun: TaskRun, reason: string) => void) {
    this.store = store;
    this.onReason = onReason;
  }

  /** Looks up the reason of each task run of `changed` that just failed. */
  watch(changed: readonly TaskRun[]): void {
    for (const tr of changed) {
      if (tr.state.current !== 'FAILED' || this.lookups.has(tr.id)) continue;
      this.lookups.set(tr.id, this.lookup(tr));
    }
  }

  private async lookup(tr: TaskRun): Promise<void> {
    const logs = await this.store.queryLogs({
      executionId: tr.executionId,
      taskRunId: tr.id,
      minLevel: 'WARN',
    });
    const lastError = logs.findLastIndex((l) => l.level === 'ERROR');
    if (lastError < 0) return;
    // The error says how the task ended ("exit code 3"); the warning before it often says why (stderr).
    const before = logs[lastError - 1]?.message;
    const error = logs[lastError]!.message;
    const reason = before && before !== error ? `${error} (last output: ${before})` : error;
    this.found.push({ taskRun: tr, reason });
    this.onReason(tr, reason);
  }

  /** The failures of `execution` found so far, once every pending lookup is done. */
  async of(execution: Execution): Promise<Failure[]> {
    await Promise.allSettled(this.lookups.values());
    return this.found.filter((f) => f.taskRun.executionId === execution.id);
  }
}

/** The closing lines of `baton run` for an execution that did not succeed: which task failed and why. */
export const failureSummary = (execution: Execution, failures: readonly Failure[]): string[] => {
  const lines = failures.map(
    (f) =>
      `failed: task ${f.taskRun.taskId}${f.taskRun.value === undefined ? '' : ` [${f.taskRun.value}]`}: ${f.reason}`,
  );
  if (execution.error) lines.push(`failed: ${execution.error}`);
  return lines;
};
