/**
 * Baton's error types. Every error Baton raises on purpose is a `BatonError` with:
 * - `code`: stable, for programs (API answers, exit codes, tests) — never reworded;
 * - `retryable`: whether doing the same thing again can succeed (a busy database can; a bad flow cannot);
 * - `name`: the class name, for logs.
 * Domain errors (expression, task, input, storage...) live beside their code and extend this class.
 *
 * Exit codes of the `baton` command (documented in the README):
 * - 0: done (an execution ended SUCCESS or WARNING)
 * - 1: an execution ended in another state (FAILED, KILLED...)
 * - 2: bad usage, an invalid flow or invalid inputs: nothing was run
 * - 3: an internal error (a bug, or an environment Baton cannot work in)
 */

export type ErrorCode =
  | 'USAGE'
  | 'INVALID_FLOW'
  | 'INVALID_INPUT'
  | 'FLOW_DISABLED'
  | 'FLOW_NOT_FOUND'
  | 'NOT_FOUND'
  /** What is asked conflicts with what exists (a user already there, the last admin removed). */
  | 'CONFLICT'
  | 'EXPRESSION'
  | 'CONDITION'
  | 'TASK'
  | 'STORAGE_PATH'
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_FULL'
  | 'DATA_DIR'
  | 'STORE'
  | 'INTERNAL';

export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** The command line was used wrongly (unknown option, missing argument). */
export class UsageError extends BatonError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export const EXIT = { ok: 0, executionFailed: 1, usage: 2, internal: 3 } as const;

/** Codes meaning "nothing was run because what was asked is wrong": exit code 2. */
const USER_ERRORS = new Set<ErrorCode>([
  'USAGE',
  'INVALID_FLOW',
  'INVALID_INPUT',
  'FLOW_DISABLED',
  'FLOW_NOT_FOUND',
  'NOT_FOUND',
  'CONFLICT',
  'DATA_DIR',
]);

/** The exit code for an error that ended a command. */
export const exitCodeOf = (error: unknown): number => {
  if (error instanceof BatonError) return USER_ERRORS.has(error.code) ? EXIT.usage : EXIT.internal;
  // node:util parseArgs: unknown option, missing value...
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return EXIT.usage;
  return EXIT.internal;
};
