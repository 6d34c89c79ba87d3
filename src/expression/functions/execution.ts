/**
 * Functions over the execution's render variables (Kestra 1.x): `tasksWithState(state)` reads the
 * `tasks` variable, `loopOutputs(outputs, name)` the outputs list of a Loop task.
 */
import { arg, type Env, type FunctionFn, requiredArg } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { lookup } from '../evaluator.ts';
import { isMap, toStr } from '../values.ts';

const tasksVariable = (env: Env): unknown => {
  try {
    return lookup('tasks', env);
  } catch {
    return undefined;
  }
};

const stateOf = (v: unknown): string | undefined => (typeof v === 'string' ? v.toUpperCase() : undefined);

/**
 * Task runs in `state` (default FAILED), as Kestra lists them: `{taskId, state}` for task runs without
 * value, `{taskId, value, state}` for those with one.
 */
const tasksWithState = (wanted: string, tasks: unknown): Record<string, unknown>[] => {
  const out: Record<string, unknown>[] = [];
  if (!isMap(tasks)) return out;
  for (const [taskId, entry] of Object.entries(tasks)) {
    if (!isMap(entry)) continue;
    for (const [key, v] of Object.entries(entry)) {
      if (key === 'state' && !isMap(v)) {
        if (stateOf(v) === wanted) out.push({ taskId, state: wanted });
      } else if (isMap(v) && stateOf(v.state) === wanted) {
        out.push({ taskId, value: key, state: wanted });
      }
    }
  }
  return out;
};

/** One output of every Loop iteration, in the order the iterations ended. */
const loopOutputs = (outputs: unknown, name: string): unknown[] => {
  if (!Array.isArray(outputs))
    throw new ExpressionError("loopOutputs(): the first argument must be a Loop task's `outputs` list");
  return outputs.map((it) => (isMap(it) && isMap(it.outputs) ? (it.outputs[name] ?? null) : null));
};

export const EXECUTION_FUNCTIONS: Record<string, FunctionFn> = {
  tasksWithState: (a, env) =>
    tasksWithState(toStr(arg(a, 0, 'state', 'FAILED')).toUpperCase(), tasksVariable(env)),
  loopOutputs: (a) =>
    loopOutputs(requiredArg(a, 0, 'outputs', 'loopOutputs'), toStr(requiredArg(a, 1, 'name', 'loopOutputs'))),
};
