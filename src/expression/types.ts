/** Types of the expression language's public API. */

/** Variables visible to expressions: inputs, outputs, vars, flow, execution, task, taskrun, parents... */
export type RenderContext = Record<string, unknown>;

/**
 * I/O-backed callbacks, supplied by the caller. All synchronous: the caller resolves what it needs
 * beforehand, e.g. with `Lookups` (a first render records the lookups, they are resolved asynchronously,
 * a second render reads the answers). A function whose service is absent fails with a clear error.
 */
export interface ExpressionServices {
  secret?(key: string): string;
  kv?(namespace: string, key: string, opts: { errorOnMissing: boolean }): unknown;
  read?(uri: string): string;
  fileSize?(uri: string): number;
  /** Whether a file exists in internal storage (false, not an error, when it does not). */
  fileExists?(uri: string): boolean;
  errorLogs?(): unknown[];
  /** Results of a jq filter; without it, jq runs blocking the caller (with a short time limit). */
  jq?(input: unknown, filter: string): unknown[];
  /** Current time, for deterministic tests. Defaults to the real clock. */
  now?(): Date;
}

export interface RenderLimits {
  /** Longest rendered output, in characters. */
  maxOutputLength?: number;
  /** Loop iterations (for, range, ..) per top-level render. */
  maxIterations?: number;
  /** Nesting of render() calls and of expressions. */
  maxDepth?: number;
  /** Longest template accepted, in characters. */
  maxTemplateLength?: number;
}

export interface RenderOptions {
  services?: ExpressionServices;
  limits?: RenderLimits;
}
