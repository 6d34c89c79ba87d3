/**
 * Properties every task, trigger or condition may carry whatever its type. A definition's `properties` hold
 * only the type's own properties; `taskJsonSchema()` (docs.ts) and the flow schema add these.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { ConditionRef, DString, Duration, LOG_LEVELS, Props, StaticDuration, StringEnum } from './schema.ts';

/** Kestra's id syntax for tasks and triggers. */
export const ID_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_-]*$';

export const TaskId = Type.String({
  pattern: ID_PATTERN,
  minLength: 1,
  description: 'Identifier, unique in the flow: letters, digits, `_` and `-`, not starting with `_` or `-`.',
});

const retryShared = {
  maxAttempts: Type.Integer({
    minimum: 1,
    description: 'Total number of attempts, the first one included.',
  }),
  // Kestra 0.24 renamed it `maxAttempts` and kept the old name as a (Jackson) alias.
  maxAttempt: Type.Integer({
    minimum: 1,
    description: 'Former name of `maxAttempts`, still accepted; when both are set the one written last wins.',
  }),
  maxDuration: StaticDuration({
    description: 'Give up retrying once this much time has passed since the first attempt.',
  }),
  warningOnRetry: Type.Boolean({
    default: false,
    description: 'End the task run in WARNING (instead of SUCCESS) when it succeeded only after a retry.',
  }),
  behavior: StringEnum(['RETRY_FAILED_TASK', 'CREATE_NEW_EXECUTION'], {
    default: 'RETRY_FAILED_TASK',
    description:
      'Flow-level retry only: retry the failed task in the same execution, or start a new execution.',
  }),
};

export const RetryConstant = Props(
  {
    type: Type.Literal('constant', { description: 'Constant retry.' }),
    interval: StaticDuration({ description: 'Wait between two attempts.' }),
    ...retryShared,
  },
  {
    required: ['type', 'interval'],
    title: 'Constant retry',
    description: 'Waits the same `interval` between attempts.',
  },
);

export const RetryExponential = Props(
  {
    type: Type.Literal('exponential', { description: 'Exponential retry.' }),
    interval: StaticDuration({
      description: 'Wait before the second attempt; multiplied by `delayFactor` each time.',
    }),
    maxInterval: StaticDuration({ description: 'Upper bound of the wait between two attempts.' }),
    delayFactor: Type.Number({
      description: 'Multiplier applied to the wait after each attempt (default 2).',
    }),
    ...retryShared,
  },
  {
    required: ['type', 'interval', 'maxInterval'],
    title: 'Exponential retry',
    description:
      'Waits longer after each attempt: `interval`, then `interval × delayFactor`..., capped by `maxInterval`.',
  },
);

export const RetryRandom = Props(
  {
    type: Type.Literal('random', { description: 'Random retry.' }),
    minInterval: StaticDuration({ description: 'Shortest wait between two attempts.' }),
    maxInterval: StaticDuration({ description: 'Longest wait between two attempts.' }),
    ...retryShared,
  },
  {
    required: ['type', 'minInterval', 'maxInterval'],
    title: 'Random retry',
    description: 'Waits a random time between `minInterval` and `maxInterval` between attempts.',
  },
);

export const Retry = Type.Union([RetryConstant, RetryExponential, RetryRandom], {
  description: 'Retry policy applied when the task fails: `constant`, `exponential` or `random`.',
});

export const WorkerGroup = Props(
  {
    key: Type.String({ minLength: 1, description: 'Name of the worker group that must run the task.' }),
    fallback: StringEnum(['FAIL', 'WAIT', 'CANCEL'], {
      default: 'WAIT',
      description: 'What to do when no worker of the group is available: fail, keep waiting, or cancel.',
    }),
  },
  {
    required: ['key'],
    description: 'Baton feature: run the task only on workers started with this group key.',
  },
);

export const LogLevel = StringEnum(LOG_LEVELS, {
  description: 'Minimum level of the logs kept for this task; lower levels are discarded.',
});

/** Common properties of every task (runnable or flowable). */
export const taskCommonProperties = {
  id: TaskId,
  type: Type.String({ description: 'The task type: a canonical name or an alias.' }),
  description: Type.String({ description: 'Free text documenting the task.' }),
  retry: Retry,
  timeout: Duration({
    description: 'Maximum duration of one attempt; the attempt is killed and fails after it.',
  }),
  disabled: Type.Boolean({ default: false, description: 'Skip the task entirely: no task run is created.' }),
  allowFailure: Type.Boolean({
    default: false,
    description: 'A failure of this task ends it in WARNING and lets the execution go on.',
  }),
  allowWarning: Type.Boolean({
    default: false,
    description: 'A WARNING of this task (including one caused by `allowFailure`) ends it in SUCCESS.',
  }),
  runIf: DString({
    description: 'Expression evaluated before the task starts: a falsy result skips the task (SKIPPED).',
  }),
  logLevel: LogLevel,
  logToFile: Type.Boolean({
    default: false,
    description: 'Store the task logs in a file of the internal storage instead of the log store.',
  }),
  workerGroup: WorkerGroup,
} satisfies Record<string, TSchema>;

/** Names of the properties every task may carry. */
export const TASK_COMMON_NAMES = Object.keys(taskCommonProperties);

/** Common properties of every trigger. */
export const triggerCommonProperties = {
  id: TaskId,
  type: Type.String({ description: 'The trigger type: a canonical name or an alias.' }),
  description: Type.String({ description: 'Free text documenting the trigger.' }),
  disabled: Type.Boolean({ default: false, description: 'Turn the trigger off without removing it.' }),
  conditions: Type.Array(ConditionRef(), {
    description: 'Conditions that must all hold for the trigger to start an execution.',
  }),
  allowConcurrent: Type.Boolean({
    default: false,
    description:
      'Let the trigger start an execution while one it started before is still running. Kestra honours it for ' +
      'the triggers its scheduler locks (Schedule, polling triggers); Flow and Webhook triggers never wait.',
  }),
  stopAfter: Type.Array(Type.String(), {
    description:
      'Execution states (e.g. `FAILED`) that disable the trigger once an execution it started ends in one of them.',
  }),
  logLevel: LogLevel,
  logToFile: Type.Boolean({ default: false, description: 'Store the trigger logs in a file.' }),
  workerGroup: WorkerGroup,
} satisfies Record<string, TSchema>;

export const TRIGGER_COMMON_NAMES = Object.keys(triggerCommonProperties);

/** Common properties of every condition. */
export const conditionCommonProperties = {
  type: Type.String({ description: 'The condition type: a canonical name or an alias.' }),
} satisfies Record<string, TSchema>;

export const CONDITION_COMMON_NAMES = Object.keys(conditionCommonProperties);
