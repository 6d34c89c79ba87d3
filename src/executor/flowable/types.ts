/** What a flowable task type implements: how its task run starts, advances and reacts to its events. */
import type { TaskRun } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import type { Step } from '../step.ts';
import type { ExecutorEvent, TimerKind } from '../types.ts';

export interface FlowableHandler {
  /** Right after the task run is created (or re-run): render properties, set outputs; may end it. */
  start?(step: Step, tr: TaskRun, task: Task): void;
  /** Creates the next children, or ends the task run once its children are done. */
  advance(step: Step, tr: TaskRun, task: Task): void;
  onTimer?(step: Step, tr: TaskRun, task: Task, timer: TimerKind): void;
  onResume?(step: Step, tr: TaskRun, task: Task, inputs: Record<string, unknown> | undefined): void;
  onSubflowUpdate?(
    step: Step,
    tr: TaskRun,
    task: Task,
    e: Extract<ExecutorEvent, { type: 'subflow-update' }>,
  ): void;
}
