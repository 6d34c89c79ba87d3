/**
 * The task type contract. One source of truth per type: its properties (a JSON Schema written with
 * TypeBox), kind, description and example. Validation, the flow JSON Schema, `baton docs TYPE` and the
 * UI forms all derive from the definition; the behaviour lives beside it:
 * - runnable types: `src/tasks/<group>/<name>.run.ts` exports `run` (executed by a worker),
 * - flowable types: `src/executor/flowable/<name>.ts` (pure logic, executed by the executor).
 *
 * Glossary
 * - Canonical type: the name a definition is registered under (Kestra's current full name, e.g.
 *   `io.kestra.plugin.core.log.Log`). Aliases (old `io.kestra.core.tasks.*` names, short names) resolve
 *   to it at parse time.
 * - Dynamic property: accepts `{{ }}`; its schema is marked with `dynamic: true` (see `dyn()` in schema.ts).
 * - Child task property: a property holding tasks (`tasks`, `errors`, `finally`, `cases`...), listed in
 *   `children` so that generic walkers (id uniqueness, lookup by id) need no per-type code.
 */
import type { TSchema } from '@sinclair/typebox';
import { BatonError } from '../errors.ts';
import type { LogLevel } from '../execution/types.ts';

export type TaskKind = 'runnable' | 'flowable' | 'trigger' | 'condition';

export interface TaskDefinition {
  type: string;
  aliases?: string[];
  kind: TaskKind;
  /** One line. */
  title: string;
  /** Longer Markdown text. */
  description: string;
  /** A complete YAML task (or trigger/condition) example. */
  example: string;
  /** Schema of the type's own properties; common ones (id, type, retry, timeout...) are added by the flow schema. */
  properties: TSchema;
  deprecated?: boolean;
  /**
   * The Kestra version that brought the type when it is newer than 0.21 (e.g. `'1.0'`); absent for the
   * 0.21 core set. `baton docs` marks these so that users of older Kestra releases know.
   */
  since?: string;
  /** Properties that hold child tasks: lists (`tasks`), maps of lists (`cases`), single tasks. */
  children?: {
    lists?: string[];
    maps?: string[];
    single?: string[];
    /** Lists of wrapper objects each holding one task under `key` (Dag: `tasks[].task`). */
    wrapped?: { list: string; key: string }[];
  };
}

/** What a runnable task returns. Throwing a `TaskError` (or any error) fails the attempt. */
export interface TaskResult {
  outputs?: Record<string, unknown>;
  /** Defaults to SUCCESS. WARNING keeps the run going; KILLED is used by cooperative cancellation. */
  state?: 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED';
  /** Execution-level effects a task may ask for (Labels, Exit). Applied by the executor. */
  effects?: TaskEffect[];
}

export type TaskEffect =
  | { kind: 'labels'; labels: { key: string; value: string }[] }
  | { kind: 'exit'; state: 'SUCCESS' | 'WARNING' | 'KILLED' | 'FAILED' | 'CANCELLED' };

export interface TaskLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  log(level: LogLevel, message: string): void;
}

/**
 * An error raised by a task. `retryable: false` means retrying cannot help (bad configuration), so the
 * worker fails the task run without consuming the retry policy.
 */
export class TaskError extends BatonError {
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super('TASK', message, { retryable: options.retryable ?? true, cause: options.cause });
  }
}
