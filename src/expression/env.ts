/** Evaluation environment and the shapes of filters, functions and tests. */
import { ExpressionError } from './errors.ts';
import type { ExpressionServices, RenderContext } from './types.ts';

export interface Limits {
  maxOutputLength: number;
  maxIterations: number;
  maxDepth: number;
  maxTemplateLength: number;
}

export const DEFAULT_LIMITS: Limits = {
  // A rendered property larger than this is almost surely a runaway loop, and would bloat the store.
  maxOutputLength: 10 * 1024 * 1024,
  // Bounds CPU spent in one render (for loops, ranges): guards the executor against `range(0, 1e9)`.
  maxIterations: 100_000,
  // render() inside render() and nested expressions: guards against self-referencing values.
  maxDepth: 64,
  maxTemplateLength: 1024 * 1024,
};

export interface Env {
  ctx: RenderContext;
  /** Variables of `set` and `for`, innermost last. */
  frames: Map<string, unknown>[];
  services: ExpressionServices;
  limits: Limits;
  /** Shared by nested renders of one top-level render. */
  budget: { iterations: number };
  depth: number;
  /** Renders a string as a template (for render()); recursion goes through here. */
  renderTemplate(template: string, env: Env): string;
}

export interface CallArgs {
  pos: unknown[];
  named: Map<string, unknown>;
}

export type FilterFn = (input: unknown, args: CallArgs, env: Env) => unknown;
export type FunctionFn = (args: CallArgs, env: Env) => unknown;
export type TestFn = (value: unknown, args: CallArgs) => boolean;

/** Argument by position, or by name (named wins), or the fallback. */
export function arg(a: CallArgs, i: number, name: string, fallback?: unknown): unknown {
  if (a.named.has(name)) return a.named.get(name);
  return i < a.pos.length ? a.pos[i] : fallback;
}

export function requiredArg(a: CallArgs, i: number, name: string, what: string): unknown {
  const v = arg(a, i, name);
  if (v === undefined) throw new ExpressionError(`${what}: missing argument \`${name}\``);
  return v;
}

export function countIterations(env: Env, n: number): void {
  env.budget.iterations += n;
  if (env.budget.iterations > env.limits.maxIterations)
    throw new ExpressionError(
      `Too many loop iterations (limit ${env.limits.maxIterations}): reduce the size of the loop or range`,
    );
}
