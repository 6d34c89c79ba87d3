/**
 * The flow level: `tasks`, then `errors` when they failed, then `finally`; then the end of the execution
 * (SLA assertions, flow outputs, flow retry CREATE_NEW_EXECUTION) and `afterExecution`.
 */

import type { Label, State } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import { type RenderOptions, renderString, renderValue } from '../../expression/index.ts';
import type { Flow, FlowOutput } from '../../flow/types.ts';
import { truthyString } from '../state.ts';
import type { Step } from '../step.ts';
import { enabled } from '../tasks.ts';
import { errorMessage } from './lifecycle.ts';
import { maxAttemptsOf, retryDelay } from './retry.ts';
import { advanceScope, sequenceSpec } from './scope.ts';

export const advanceRoot = (step: Step): void => {
  const s = step.exec.state.current;
  if (s === 'RUNNING' || s === 'PAUSED' || s === 'KILLING') {
    const r = advanceScope(
      step,
      undefined,
      sequenceSpec(enabled(step.flow.tasks), {
        errors: enabled(step.flow.errors),
        finally: enabled(step.flow.finally),
      }),
    );
    if (r.done) endExecution(step, s === 'KILLING' ? 'KILLED' : r.state);
  }
  if (isTerminal(step.exec.state.current) && (step.flow.afterExecution?.length ?? 0) > 0) {
    advanceScope(
      step,
      undefined,
      sequenceSpec(enabled(step.flow.afterExecution), { mainBranch: 'afterExecution' }),
    );
  }
};

/** Labels of an SLA or a Labels task: a map or a list of `{key, value}`. */
export const toLabels = (raw: unknown): Label[] => {
  if (Array.isArray(raw))
    return raw
      .filter((l) => l && typeof l === 'object' && 'key' in l)
      .map((l) => ({ key: String(l.key), value: String(l.value) }));
  if (raw && typeof raw === 'object')
    return Object.entries(raw).map(([key, value]) => ({ key, value: String(value) }));
  return [];
};

/** Merges labels by key; `system.` labels set by Baton are never overwritten. */
export const mergeLabels = (current: Label[], added: Label[]): Label[] => {
  const out = [...current];
  for (const l of added) {
    const i = out.findIndex((x) => x.key === l.key);
    if (i >= 0) {
      if (out[i]!.key.startsWith('system.')) continue;
      out[i] = l;
    } else out.push(l);
  }
  return out;
};

const slaAssertions = (step: Step, state: State): State => {
  for (const sla of step.flow.sla ?? []) {
    if (sla.type !== 'EXECUTION_ASSERTION' || !sla.assert) continue;
    let ok: boolean;
    try {
      ok = truthyString(renderString(sla.assert, step.context(), step.renderOptions));
    } catch (e) {
      step.log('WARN', `SLA '${sla.id}' assertion could not be evaluated: ${errorMessage(e)}`);
      ok = false;
    }
    if (ok) continue;
    step.log('WARN', `SLA '${sla.id}' violated`);
    if (sla.behavior === 'FAIL') state = 'FAILED';
    else if (sla.behavior === 'CANCEL') state = 'CANCELLED';
    else if (sla.labels)
      step.exec = { ...step.exec, labels: mergeLabels(step.exec.labels, toLabels(sla.labels)) };
  }
  return state;
};

export const typedOutput = (o: FlowOutput, v: unknown): unknown => {
  switch (o.type) {
    case 'STRING':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'INT':
    case 'FLOAT': {
      const n = typeof v === 'string' ? Number(v) : v;
      return typeof n === 'number' && !Number.isNaN(n) ? n : v;
    }
    case 'BOOLEAN':
    case 'BOOL':
      return v === 'true' ? true : v === 'false' ? false : v;
    case 'JSON':
      if (typeof v === 'string') {
        try {
          return JSON.parse(v);
        } catch {
          return v;
        }
      }
      return v;
    default:
      return v;
  }
};

/** Flow outputs rendered against the final execution; throws on the first that cannot be rendered. */
export const renderFlowOutputs = (
  flow: Flow,
  ctx: Record<string, unknown>,
  opts?: RenderOptions,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const o of flow.outputs ?? []) {
    try {
      out[o.id] = typedOutput(o, renderValue(o.value, ctx, opts));
    } catch (e) {
      throw new Error(`Failed to render output '${o.id}': ${errorMessage(e)}`);
    }
  }
  return out;
};

/**
 * Flow outputs of `type: SECRET` are stored encrypted, like SECRET inputs, and their values become known
 * secrets of the execution: masked in later logs (afterExecution tasks) and displays.
 */
const sealSecretOutputs = (step: Step, outputs: Record<string, unknown>): Record<string, unknown> => {
  for (const o of step.flow.outputs ?? []) {
    const v = outputs[o.id];
    if (o.type !== 'SECRET' || v === undefined || v === null) continue;
    const sealed = step.cipher.encrypt(typeof v === 'string' ? v : JSON.stringify(v));
    outputs[o.id] = sealed;
    step.rememberSecrets([sealed]);
  }
  return outputs;
};

export const endExecution = (step: Step, raw: State): void => {
  let state = raw;
  if (state !== 'KILLED') state = slaAssertions(step, state);
  if ((state === 'SUCCESS' || state === 'WARNING') && (step.flow.outputs?.length ?? 0) > 0) {
    try {
      step.exec = {
        ...step.exec,
        outputs: sealSecretOutputs(step, renderFlowOutputs(step.flow, step.context(), step.renderOptions)),
      };
    } catch (e) {
      step.log('ERROR', errorMessage(e));
      step.exec = { ...step.exec, error: errorMessage(e) };
      state = 'FAILED';
    }
  }
  const retry = step.flow.retry;
  if (state === 'FAILED' && retry?.behavior === 'CREATE_NEW_EXECUTION') {
    const max = maxAttemptsOf(retry) ?? 1;
    if ((step.exec.attemptNumber ?? 1) < max) {
      step.setExecState('FAILED');
      step.setExecState('RETRIED');
      const attempt = step.exec.attemptNumber ?? 1;
      const delay =
        retryDelay(retry, attempt, Date.parse(step.exec.state.startDate), step.now, step.exec.id) ?? 0;
      step.effect({ kind: 'new-execution-attempt', fromExecutionId: step.exec.id, at: step.now + delay });
      return;
    }
  }
  step.setExecState(state);
};
