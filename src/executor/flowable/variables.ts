/**
 * SetVariables / UnsetVariables (Kestra's ExecutionUpdatableTask): the executor changes the execution's
 * variables when the task run starts, then ends it. From then on `execution.variables` is the whole
 * `vars` map: it is stored with the execution and, already rendered, never rendered again.
 */
import type { TaskRun } from '../../execution/types.ts';
import { renderString, renderValue } from '../../expression/index.ts';
import type { Task } from '../../flow/types.ts';
import { endTaskRun, errorMessage } from '../decide/lifecycle.ts';
import type { Step } from '../step.ts';
import { failWith } from './common.ts';
import type { FlowableHandler } from './types.ts';

type Vars = Record<string, unknown>;

const isMap = (v: unknown): v is Vars => typeof v === 'object' && v !== null && !Array.isArray(v);

const deepMerge = (a: Vars, b: Vars): Vars => {
  const out: Vars = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isMap(out[k]) && isMap(v) ? deepMerge(out[k], v) : v;
  return out;
};

const asBoolean = (v: unknown): boolean => v === true || (typeof v === 'string' && v.trim() === 'true');

const parsed = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

/** Runs `change` on the variables the task run sees; a thrown error fails it (retrying cannot help). */
const update = (step: Step, tr: TaskRun, task: Task, change: (vars: Vars, ctx: Vars) => Vars): void => {
  const ctx = step.context(tr, task);
  let next: Vars;
  try {
    next = change(isMap(ctx.vars) ? ctx.vars : {}, ctx);
  } catch (e) {
    failWith(step, tr, task, errorMessage(e));
    return;
  }
  step.exec = { ...step.exec, variables: next };
  endTaskRun(step, step.get(tr.id) ?? tr, task, 'SUCCESS');
};

export const setVariables: FlowableHandler = {
  start(step, tr, task) {
    update(step, tr, task, (vars, ctx) => {
      const raw = parsed(renderValue(task.variables, ctx, step.renderOptions));
      if (!isMap(raw)) throw new Error('SetVariables: `variables` must be a map of name → value');
      // Map keys are templates too (as in Kestra's rendering of a map property).
      const rendered: Vars = {};
      for (const [k, v] of Object.entries(raw)) rendered[/\{\{|\{%/.test(k) ? renderString(k, ctx) : k] = v;
      if (task.overwrite !== undefined && !asBoolean(renderValue(task.overwrite, ctx))) {
        const existing = Object.keys(rendered).filter((k) => Object.hasOwn(vars, k));
        if (existing.length > 0)
          throw new Error(
            `\`overwrite\` is set to false and the following variables already exist: ${existing.join(',')}`,
          );
      }
      return deepMerge(vars, rendered);
    });
  },
  advance() {
    // Ends in start().
  },
};

/** Removes `path` (dotted: nested maps) from a copy of `vars`. */
const without = (vars: Vars, path: string[], name: string, ignoreMissing: boolean): Vars => {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    if (!Object.hasOwn(vars, head)) {
      if (ignoreMissing) return vars;
      throw new Error(`UnsetVariables: no variable \`${name}\` to remove`);
    }
    const { [head]: _gone, ...others } = vars;
    return others;
  }
  const inner = vars[head];
  if (!isMap(inner)) {
    if (ignoreMissing) return vars;
    throw new Error(`UnsetVariables: no variable \`${name}\` to remove`);
  }
  return { ...vars, [head]: without(inner, rest, name, ignoreMissing) };
};

export const unsetVariables: FlowableHandler = {
  start(step, tr, task) {
    update(step, tr, task, (vars, ctx) => {
      const names = parsed(renderValue(task.variables, ctx, step.renderOptions));
      const list = Array.isArray(names) ? names : [names];
      const ignoreMissing =
        task.ignoreMissing !== undefined && asBoolean(renderValue(task.ignoreMissing, ctx));
      let out = vars;
      for (const name of list) out = without(out, String(name).split('.'), String(name), ignoreMissing);
      return out;
    });
  },
  advance() {
    // Ends in start().
  },
};
