/**
 * Functions backed by the caller's services (secret, kv, read, fileSize, fileExists, isFileEmpty,
 * errorLogs), and those that use the render context's structure (render, renderOnce, currentEachOutput,
 * fileURI, env).
 */
import { arg, type Env, type FunctionFn, requiredArg } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { lookup } from '../evaluator.ts';
import type { ExpressionServices } from '../types.ts';
import { getAttr, isMap, toStr } from '../values.ts';

function service<K extends keyof ExpressionServices>(
  env: Env,
  name: K,
  fn: string,
): NonNullable<ExpressionServices[K]> {
  const s = env.services[name];
  if (!s) throw new ExpressionError(`${fn}() is not available here (no ${name} service)`);
  return s as NonNullable<ExpressionServices[K]>;
}

/** Renders a value as a template: the only way a value is ever rendered again. */
function render(value: unknown, recursive: boolean, env: Env): unknown {
  if (typeof value !== 'string') return value;
  let current = value;
  for (let depth = env.depth; ; depth++) {
    const next = env.renderTemplate(current, { ...env, depth });
    if (!recursive || next === current || !/\{\{|\{%/.test(next)) return next;
    current = next;
  }
}

function optional(v: unknown, env: Env, name: string): unknown {
  try {
    return lookup(name, env);
  } catch {
    return v;
  }
}

/** Output of the current loop iteration: outputs are keyed by the loop values, outermost first. */
function currentEachOutput(output: unknown, env: Env): unknown {
  let out = output;
  const parents = optional([], env, 'parents');
  if (Array.isArray(parents)) {
    for (const p of [...parents].reverse()) {
      const value = isMap(p) && isMap(p.taskrun) ? p.taskrun.value : undefined;
      if (value !== undefined && value !== null) out = getAttr(out, toStr(value));
    }
  }
  const taskrun = optional(null, env, 'taskrun');
  if (isMap(taskrun) && taskrun.value !== undefined && taskrun.value !== null)
    out = getAttr(out, toStr(taskrun.value));
  return out;
}

function namespaceOf(env: Env, fn = 'kv'): string {
  const flow = optional(null, env, 'flow');
  if (isMap(flow) && typeof flow.namespace === 'string') return flow.namespace;
  throw new ExpressionError(`${fn}(): no namespace given and no \`flow.namespace\` in the context`);
}

/** Kestra's `envs` variable holds `ENV_`-prefixed process variables; empty counts as missing. */
function env(a: Parameters<FunctionFn>[0], e: Env): unknown {
  const name = toStr(requiredArg(a, 0, 'name', 'env'));
  const fallback = arg(a, 1, 'default', null);
  const envs = optional(null, e, 'envs');
  const v = isMap(envs) && Object.hasOwn(envs, name) ? envs[name] : undefined;
  return v === undefined || v === null || v === '' ? fallback : v;
}

const path = (a: Parameters<FunctionFn>[0], fn: string): string => toStr(requiredArg(a, 0, 'path', fn));

export const IO_FUNCTIONS: Record<string, FunctionFn> = {
  // A namespace file's URI: `kestra:///company/team/_files/<path>`.
  fileURI: (a, e) =>
    `kestra:///${namespaceOf(e, 'fileURI').replace(/\./g, '/')}/_files/${path(a, 'fileURI')}`,
  fileExists: (a, e) => service(e, 'fileExists', 'fileExists')(path(a, 'fileExists')),
  isFileEmpty: (a, e) => service(e, 'fileSize', 'isFileEmpty')(path(a, 'isFileEmpty')) === 0,
  // Kestra's earlier name of isFileEmpty, still in its function list.
  fileEmpty: (a, e) => service(e, 'fileSize', 'fileEmpty')(path(a, 'fileEmpty')) === 0,
  env,
  render: (a, env) =>
    render(requiredArg(a, 0, 'expression', 'render'), arg(a, 1, 'recursive', true) !== false, env),
  renderOnce: (a, env) => render(requiredArg(a, 0, 'expression', 'renderOnce'), false, env),
  secret: (a, env) => service(env, 'secret', 'secret')(toStr(requiredArg(a, 0, 'key', 'secret'))),
  kv: (a, env) => {
    const key = toStr(requiredArg(a, 0, 'key', 'kv'));
    const ns = arg(a, 1, 'namespace');
    const errorOnMissing = arg(a, 2, 'errorOnMissing', true) !== false;
    return service(env, 'kv', 'kv')(ns === undefined || ns === null ? namespaceOf(env) : toStr(ns), key, {
      errorOnMissing,
    });
  },
  read: (a, env) => service(env, 'read', 'read')(toStr(requiredArg(a, 0, 'path', 'read'))),
  fileSize: (a, env) => service(env, 'fileSize', 'fileSize')(toStr(requiredArg(a, 0, 'path', 'fileSize'))),
  errorLogs: (_a, env) => service(env, 'errorLogs', 'errorLogs')(),
  currentEachOutput: (a, env) => currentEachOutput(requiredArg(a, 0, 'outputs', 'currentEachOutput'), env),
};
