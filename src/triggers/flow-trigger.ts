/**
 * Kestra's Flow trigger (`io.kestra.plugin.core.trigger.Flow`): when an execution ends, which flows
 * start a new execution, with which trigger variables and inputs. Pure; the executor shell calls
 * `evaluateFlowTriggers` when an execution reaches a new state, persists the returned state (see
 * store-state.ts) and creates the executions.
 *
 * Order of evaluation, as Kestra 0.21's FlowTriggerService:
 * 1. skip deleted and disabled flows, disabled triggers, and the ended execution's own flow (Kestra
 *    never lets a flow trigger itself, to prevent loops);
 * 2. the trigger's `states` must contain the execution's state (terminal states by default);
 * 3. its `conditions` except MultipleConditions must all hold;
 * 4. each MultipleCondition / `preconditions` window records the sub-conditions this execution meets;
 * 5. the trigger fires when every MultipleCondition and the preconditions are fulfilled in their window;
 * 6. fulfilled windows are reset (unless `resetOnSuccess: false`) and expired windows forgotten.
 */
import type { Execution, State, TaskRun } from '../execution/types.ts';
import { TERMINAL_STATES } from '../execution/types.ts';
import { type RenderContext, renderValue } from '../expression/index.ts';
import type { Flow, Trigger } from '../flow/types.ts';
import { canonicalType } from '../tasks/registry.ts';
import { allHold, type ConditionContext } from './conditions.ts';
import { isMultiple, type MultipleSpec, multipleSpecsOf } from './multiple.ts';
import {
  currentWindow,
  isFulfilled,
  isWindowValid,
  type MultipleConditionState,
  purgeExpired,
  setWindow,
  windowKey,
  withResults,
} from './windows.ts';

export const FLOW_TRIGGER_TYPE = 'io.kestra.plugin.core.trigger.Flow';

export interface FlowTriggerStart {
  flow: Flow;
  trigger: Trigger;
  /** The new execution's `trigger` variables. */
  variables: Record<string, unknown>;
  /** The new execution's inputs: the trigger's `inputs`, rendered. */
  inputs: Record<string, unknown>;
}

export interface FlowTriggerResult {
  toStart: FlowTriggerStart[];
  state: MultipleConditionState;
  /** Conditions or inputs that could not be evaluated (they counted as false / did not fire). */
  warnings: string[];
}

export const isFlowTrigger = (t: Trigger): boolean => (canonicalType(t.type) ?? t.type) === FLOW_TRIGGER_TYPE;

/** Kestra's Flow trigger output: the `trigger` variables of the executions it starts. */
export const triggerVariables = (ended: Execution): Record<string, unknown> => ({
  executionId: ended.id,
  namespace: ended.namespace,
  flowId: ended.flowId,
  flowRevision: ended.flowRevision,
  state: ended.state.current,
  ...(ended.outputs && Object.keys(ended.outputs).length > 0 ? { outputs: ended.outputs } : {}),
});

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const deepMerge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isMap(out[k]) && isMap(v) ? deepMerge(out[k], v) : v;
  return out;
};

/** Kestra's `outputs` of an execution: by task id, then by loop values (outermost first). */
export const taskOutputs = (ended: Execution): Record<string, unknown> => {
  const byId = new Map<string, TaskRun>(ended.taskRuns.map((tr) => [tr.id, tr]));
  let result: Record<string, unknown> = {};
  for (const tr of ended.taskRuns) {
    if (!tr.outputs) continue;
    const values: string[] = [];
    const seen = new Set<string>();
    for (let p = tr.parentTaskRunId ? byId.get(tr.parentTaskRunId) : undefined; p && !seen.has(p.id); ) {
      seen.add(p.id);
      if (p.value !== undefined) values.unshift(p.value);
      p = p.parentTaskRunId ? byId.get(p.parentTaskRunId) : undefined;
    }
    if (tr.value !== undefined) values.push(tr.value);
    let nested: Record<string, unknown> = tr.outputs;
    for (const v of values.reverse()) nested = { [v]: nested };
    result = deepMerge(result, { [tr.taskId]: nested });
  }
  return result;
};

/**
 * Variables of the trigger's expressions (conditions and `inputs`): the downstream `flow` and its `vars`,
 * the upstream `execution`, `inputs`, `outputs` (task outputs) and `labels`, and `trigger` (the trigger
 * variables, plus `date`, the evaluation time, for date conditions).
 */
export const upstreamContext = (
  flow: Flow,
  ended: Execution,
  trigger: Record<string, unknown>,
): RenderContext => ({
  flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision },
  execution: {
    id: ended.id,
    startDate: ended.state.startDate,
    originalId: ended.originalId ?? ended.id,
    state: ended.state.current,
  },
  inputs: ended.inputs ?? {},
  outputs: taskOutputs(ended),
  labels: Object.fromEntries(ended.labels.map((l) => [l.key, l.value])),
  vars: flow.variables ?? {},
  globals: {},
  trigger,
});

interface Candidate {
  flow: Flow;
  trigger: Trigger;
  ctx: ConditionContext;
  specs: { key: string; spec: MultipleSpec }[];
}

const statesOf = (t: Trigger): readonly State[] =>
  Array.isArray(t.states) ? (t.states as State[]) : [...TERMINAL_STATES];

export function evaluateFlowTriggers(
  ended: Execution,
  flows: Flow[],
  state: MultipleConditionState,
  now: number,
): FlowTriggerResult {
  const warnings: string[] = [];
  const variables = triggerVariables(ended);
  const conditionVars = { ...variables, date: new Date(now).toISOString() };
  const candidates: Candidate[] = [];
  for (const flow of flows) {
    if (flow.deleted || flow.disabled) continue;
    if (flow.namespace === ended.namespace && flow.id === ended.flowId) continue;
    for (const trigger of flow.triggers ?? []) {
      if (trigger.disabled || !isFlowTrigger(trigger)) continue;
      if (!statesOf(trigger).includes(ended.state.current)) continue;
      const where = `${flow.namespace}.${flow.id} trigger ${trigger.id}`;
      const warn = (m: string) => warnings.push(`${where}: ${m}`);
      const ctx: ConditionContext = {
        execution: ended,
        flow,
        variables: upstreamContext(flow, ended, conditionVars),
        now,
      };
      const simple = (trigger.conditions ?? []).filter((c) => !isMultiple(c));
      if (!allHold(simple, ctx, warn)) continue;
      const specs = multipleSpecsOf(trigger).map((spec) => ({
        key: windowKey(flow.namespace, flow.id, trigger.id, spec.id),
        spec,
      }));
      candidates.push({ flow, trigger, ctx, specs });
    }
  }

  // Record what this execution meets in each window that counts now.
  let next = state;
  for (const c of candidates) {
    const warn = (m: string) =>
      warnings.push(`${c.flow.namespace}.${c.flow.id} trigger ${c.trigger.id}: ${m}`);
    for (const { key, spec } of c.specs) {
      let window: ReturnType<typeof currentWindow>;
      try {
        window = currentWindow(next, key, spec, now);
      } catch (err) {
        warn(`${spec.id}: ${(err as Error).message}`);
        continue;
      }
      if (!isWindowValid(window, now)) continue;
      const met = Object.entries(spec.conditions)
        .filter(([, test]) => test(c.ctx, warn))
        .map(([name]) => name);
      const updated = withResults(window, met);
      if (Object.keys(updated.results).length > 0) next = setWindow(next, key, updated);
    }
  }

  const toStart: FlowTriggerStart[] = [];
  for (const c of candidates) {
    if (!c.specs.every(({ key, spec }) => isFulfilled(next, key, spec, now))) continue;
    const inputsCtx = upstreamContext(c.flow, ended, variables);
    try {
      const inputs = isMap(c.trigger.inputs)
        ? (renderValue(c.trigger.inputs, inputsCtx) as Record<string, unknown>)
        : {};
      toStart.push({ flow: c.flow, trigger: c.trigger, variables: { ...variables }, inputs });
    } catch (err) {
      // Kestra 0.21 logs the error and starts nothing.
      warnings.push(
        `${c.flow.namespace}.${c.flow.id} trigger ${c.trigger.id}: invalid inputs, no execution started: ${(err as Error).message}`,
      );
    }
  }

  // Reset fulfilled windows, forget expired ones.
  for (const c of candidates)
    for (const { key, spec } of c.specs)
      if (spec.resetOnSuccess && Object.keys(spec.conditions).length > 0 && isFulfilled(next, key, spec, now))
        next = setWindow(next, key, undefined);
  return { toStart, state: purgeExpired(next, now), warnings };
}
