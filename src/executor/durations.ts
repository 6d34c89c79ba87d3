/**
 * Duration-typed properties the executor reads itself (Pause `delay`/`timeout`, WaitFor `checkFrequency`,
 * a flowable's `timeout`). Kestra renders them (they are dynamic: `delay: "{{ inputs.wait }}"`), so they
 * are rendered here against the task run's context before being parsed. A value that does not render to
 * an ISO-8601 duration throws: the caller fails the task run with that message instead of waiting forever.
 */
import type { TaskRun } from '../execution/types.ts';
import { renderString } from '../expression/index.ts';
import type { Task } from '../flow/types.ts';
import { durationMs } from './state.ts';
import type { Step } from './step.ts';

export interface RenderedDuration {
  /** The rendered text, for log lines. */
  text: string;
  ms: number;
}

const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';

/** The rendered duration of a property; undefined when the property is not set. Throws when invalid. */
export const renderDuration = (
  step: Step,
  tr: TaskRun,
  task: Task,
  value: unknown,
  what: string,
): RenderedDuration | undefined => {
  if (isAbsent(value)) return undefined;
  const text =
    typeof value === 'string'
      ? renderString(value, step.context(tr, task), step.renderOptions).trim()
      : String(value);
  const ms = durationMs(text);
  if (ms === undefined || ms < 0) {
    const shown = text === '' ? 'an empty value' : `'${text}'`;
    throw new Error(
      `Task '${task.id}': ${what} rendered to ${shown}, which is not an ISO-8601 duration such as PT30S, PT5M or P1D`,
    );
  }
  return { text, ms };
};

/** The rendered text of a duration property for a log line; never throws. */
export const durationText = (step: Step, tr: TaskRun, task: Task, value: unknown): string => {
  try {
    return renderDuration(step, tr, task, value, 'duration')?.text ?? String(value);
  } catch {
    return String(value);
  }
};
