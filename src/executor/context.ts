/**
 * Variables for expressions, as Kestra exposes them to a task run: `flow`, `execution`, `inputs`, `vars`,
 * `outputs`, `tasks`, `labels`, `trigger`, `task`, `taskrun`, `parent`, `parents`, `item` (in a Loop),
 * `envs`, `globals`.
 * Used by the executor (conditions, flowable properties, flow outputs) and by the worker (task properties).
 * Cheap on large executions: the `outputs` and `tasks` maps and the task-run index are maintained
 * incrementally (see run-index.ts) and cached per task-run array.
 */

import type { Execution, LoopItem, TaskRun } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';
import type { RenderContext } from '../expression/index.ts';
import { renderValue } from '../expression/index.ts';
import type { Flow, Task } from '../flow/types.ts';
import { isEncrypted, type SecretCipher } from '../secrets/encryption.ts';
import { hasSecrets, openSecrets } from '../secrets/seal.ts';
import { indexFor, type RunIndex } from './run-index.ts';
import { canonical, findTaskInFlow, isExecutorTask, T } from './tasks.ts';

export { findTaskInFlow };

/**
 * Environment variables prefixed `ENV_`, exposed as `envs.<lower-cased rest>` as Kestra does. An engine
 * takes this snapshot when it opens (of its own environment, `process.env` by default) and hands it down
 * with its key: nothing reads the process environment while rendering.
 */
export const envVariables = (env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('ENV_') && v !== undefined) out[k.slice(4).toLowerCase()] = v;
  }
  return Object.freeze(out);
};

const NO_ENVS: Readonly<Record<string, string>> = Object.freeze({});

const isFlowableRun =
  (flow: Flow) =>
  (tr: TaskRun): boolean => {
    const t = findTaskInFlow(flow, tr.taskId);
    return t ? isExecutorTask(t) : false;
  };

/** The (cached) index of an execution's task runs. */
export const runIndex = (flow: Flow, execution: Execution): RunIndex =>
  indexFor(execution.taskRuns, isFlowableRun(flow));

/**
 * Kestra's `labels` variable: dotted keys are also nested (`labels.system.correlationId`), and the flat
 * key stays readable as `labels['system.correlationId']`.
 */
/** SECRET inputs are stored encrypted; tasks see them decrypted. */
const decryptedInputs = (flow: Flow, execution: Execution, cipher: SecretCipher): Record<string, unknown> => {
  const inputs = execution.inputs ?? {};
  const secrets = (flow.inputs ?? []).filter((i) => i.type === 'SECRET' && isEncrypted(inputs[i.id]));
  if (secrets.length === 0) return inputs;
  const out = { ...inputs };
  for (const i of secrets) out[i.id] = cipher.decrypt(inputs[i.id] as string);
  return out;
};

const labelsMap = (execution: Execution): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const l of execution.labels) {
    out[l.key] = l.value;
    const parts = l.key.split('.');
    if (parts.length < 2) continue;
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = l.value;
  }
  return out;
};

/** Kestra's `parents`: valued or output-bearing ancestors, nearest first, as `{taskrun: {value}, outputs}`. */
export const parentsOf = (idx: RunIndex, taskRun: TaskRun): Record<string, unknown>[] => {
  const out: Record<string, unknown>[] = [];
  for (const a of idx.ancestors(taskRun)) {
    const entry: Record<string, unknown> = {};
    if (a.value !== undefined) entry.taskrun = { value: a.value };
    if (a.outputs && Object.keys(a.outputs).length > 0) entry.outputs = a.outputs;
    if (Object.keys(entry).length > 0) out.push(entry);
  }
  return out;
};

/**
 * Children of a WorkingDirectory see its `taskrun.value` as their own (Kestra runs them inside the
 * WorkingDirectory's worker job); like Kestra, the value is that of the nearest valued ancestor.
 */
const inheritedValue = (flow: Flow, idx: RunIndex, taskRun: TaskRun): string | undefined => {
  const parent = taskRun.parentTaskRunId ? idx.get(taskRun.parentTaskRunId) : undefined;
  if (!parent) return undefined;
  const type = findTaskInFlow(flow, parent.taskId)?.type;
  if (!type || canonical(type) !== T.workingDirectory) return undefined;
  for (const a of idx.ancestors(taskRun)) if (a.value !== undefined) return a.value;
  return undefined;
};

/**
 * Loop iterations enclosing a task run (itself included when it starts one), outermost first: Kestra's
 * `item` is the innermost, `item.parents` the others (outermost first) and `item.parent` the nearest.
 */
const loopScopes = (idx: RunIndex, taskRun: TaskRun): { loopRunId: string; item: LoopItem }[] => {
  const out: { loopRunId: string; item: LoopItem }[] = [];
  const visit = (tr: TaskRun) => {
    if (tr.loopItem && tr.parentTaskRunId) out.push({ loopRunId: tr.parentTaskRunId, item: tr.loopItem });
  };
  visit(taskRun);
  for (const a of idx.ancestors(taskRun)) visit(a);
  return out.reverse();
};

const itemVariable = (item: LoopItem): Record<string, unknown> => {
  const out: Record<string, unknown> = { index: item.index, value: item.value };
  if (item.key !== undefined) out.key = item.key;
  return out;
};

const hasTemplate = (v: unknown): boolean => {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (v && typeof v === 'object') return Object.values(v).some(hasTemplate);
  return false;
};

export interface ContextOptions {
  /** Index to use instead of the cached one (the reducer passes its working index). */
  index?: RunIndex;
  /** The engine's key: SECRET inputs and sealed values are opened with it. */
  cipher: SecretCipher;
  /** The engine's `envs` (see envVariables); none when not given (pure unit tests). */
  envs?: Readonly<Record<string, string>>;
}

/** Number of finished attempts: the one being run is not counted (Kestra's `taskrun.attemptsCount`). */
const attemptsCount = (tr: TaskRun): number => {
  let n = 0;
  for (const a of tr.attempts) if (isTerminal(a.state.current)) n++;
  return n;
};

export const buildRenderContext = (
  flow: Flow,
  execution: Execution,
  taskRun: TaskRun | undefined,
  task: Task | undefined,
  options: ContextOptions,
): RenderContext => {
  const idx = options.index ?? runIndex(flow, execution);
  const ctx: RenderContext = {
    flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision ?? execution.flowRevision },
    execution: {
      id: execution.id,
      startDate: execution.state.startDate,
      originalId: execution.originalId ?? execution.id,
      state: execution.state.current,
    },
    outputs: idx.outputs(),
    tasks: idx.tasks(),
    labels: labelsMap(execution),
    envs: options.envs ?? NO_ENVS,
    globals: {},
  };
  // Like Kestra, a flow without inputs has no `inputs` variable (`{{ inputs.x }}` names `inputs` as missing).
  if (flow.inputs?.length || Object.keys(execution.inputs ?? {}).length)
    ctx.inputs = decryptedInputs(flow, execution, options.cipher);
  if (execution.trigger) ctx.trigger = execution.trigger.variables;
  // Variables set by SetVariables were rendered when set: never rendered again.
  if (execution.variables) ctx.vars = execution.variables;
  else ctx.vars = flowVariables(flow, ctx);
  if (task) ctx.task = { id: task.id, type: task.type };
  if (taskRun) addTaskRunVariables(ctx, flow, idx, taskRun, task);
  if (hasSecrets(flow, execution)) openSealed(ctx, options.cipher);
  return ctx;
};

/**
 * Values carrying a secret are stored sealed (src/secrets/seal.ts): expressions see them opened, so a
 * secret passed on through an output reaches the task that uses it. Only executions that have seen a
 * secret pay for this walk.
 */
const openSealed = (ctx: RenderContext, cipher: SecretCipher): void => {
  for (const key of ['inputs', 'outputs', 'parents', 'parent', 'vars'] as const)
    if (ctx[key] !== undefined) ctx[key] = openSecrets(ctx[key], cipher);
};

/** The flow's `variables`, those holding an expression rendered against the rest of the context. */
export const flowVariables = (flow: Flow, ctx: RenderContext): Record<string, unknown> => {
  const vars = flow.variables ?? {};
  // Kestra renders variables when used; rendering those holding an expression here is equivalent for
  // expressions that only read the rest of the context. A failing one is kept as written.
  if (hasTemplate(vars)) {
    const rendered: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(vars)) {
      if (!hasTemplate(v)) rendered[k] = v;
      else {
        try {
          rendered[k] = renderValue(v, ctx);
        } catch {
          rendered[k] = v;
        }
      }
    }
    return rendered;
  }
  return vars;
};

const addTaskRunVariables = (
  ctx: RenderContext,
  flow: Flow,
  idx: RunIndex,
  taskRun: TaskRun,
  task: Task | undefined,
): void => {
  const tr: Record<string, unknown> = {
    id: taskRun.id,
    startDate: taskRun.state.startDate,
    attemptsCount: attemptsCount(taskRun),
  };
  const value = taskRun.value ?? inheritedValue(flow, idx, taskRun);
  if (value !== undefined) tr.value = value;
  if (taskRun.parentTaskRunId !== undefined) tr.parentId = taskRun.parentTaskRunId;
  if (taskRun.iteration !== undefined) tr.iteration = taskRun.iteration;
  ctx.taskrun = tr;
  if (!task) {
    const t = findTaskInFlow(flow, taskRun.taskId);
    if (t) ctx.task = { id: t.id, type: t.type };
  }
  if (!taskRun.parentTaskRunId) return;
  const parents = parentsOf(idx, taskRun);
  ctx.parents = parents;
  if (parents.length > 0) ctx.parent = parents[0];
  const scopes = loopScopes(idx, taskRun);
  if (scopes.length === 0) return;
  const inner = scopes.at(-1)!.item;
  const item = itemVariable(inner);
  if (scopes.length > 1) {
    const outer = scopes.slice(0, -1).map((s) => itemVariable(s.item));
    item.parents = outer;
    item.parent = outer.at(-1);
  }
  ctx.item = item;
  // Inside an iteration, its own task outputs are visible as `outputs.<taskId>` (outer scopes first).
  const outputs = { ...(ctx.outputs as Record<string, unknown>) };
  for (const s of scopes) Object.assign(outputs, idx.iterationOutputs(s.loopRunId, s.item.index));
  ctx.outputs = outputs;
};
