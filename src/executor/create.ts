/**
 * Building new executions: from a user's request (CLI, API), from a parent's Subflow task, or as a new
 * attempt of a failed execution. Pure except for `storeFile`, which puts FILE inputs in internal storage,
 * and the expression services (e.g. `kv()`) a SELECT input's `expression` or a default may call.
 */

import { BatonError } from '../errors.ts';
import type { Execution, Label } from '../execution/types.ts';
import {
  type ExpressionServices,
  type RenderContext,
  renderTyped,
  renderValue,
} from '../expression/index.ts';
import { resolveInputs } from '../flow/index.ts';
import type { Flow } from '../flow/types.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import { buildRenderContext } from './context.ts';

/** The inputs given for a new execution do not fit the flow's declarations; one message per input. */
export class InputError extends BatonError {
  readonly errors: string[];
  constructor(errors: string[]) {
    super('INVALID_INPUT', errors.join('\n'));
    this.errors = errors;
  }
}

/** Kestra refuses to execute a disabled flow, whoever asks (user, Subflow task, trigger). */
export class FlowDisabledError extends BatonError {
  constructor(flow: Flow) {
    super('FLOW_DISABLED', `Cannot execute a flow which is disabled: ${flow.namespace}.${flow.id}`);
  }
}

/** Throws FlowDisabledError when the flow may not be executed. */
export const assertExecutable = (flow: Flow): void => {
  if (flow.disabled === true) throw new FlowDisabledError(flow);
};

export interface NewExecutionRequest {
  id: string;
  flow: Flow;
  revision: number;
  inputs?: Record<string, unknown>;
  labels?: Label[];
  trigger?: Execution['trigger'];
  parentId?: string;
  parentTaskRunId?: string;
  /** Root execution id of a chain of subflows (becomes the `system.correlationId` label). */
  correlationId?: string;
  originalId?: string;
  attemptNumber?: number;
  now: number;
  /** For SELECT/MULTISELECT `expression`s and defaults: I/O-backed functions (`kv()`...). */
  expressionServices?: ExpressionServices;
  /** The engine's key: SECRET inputs are stored encrypted with it. */
  cipher: SecretCipher;
  /** The engine's `envs` for input defaults and expressions (none when not given). */
  envs?: Readonly<Record<string, string>>;
}

/**
 * Puts the FILE inputs of a request into internal storage (I/O, hence apart from `buildExecution`),
 * replacing each by its `kestra:///` URI.
 */
export const storeFileInputs = async (
  flow: Flow,
  inputs: Record<string, unknown> | undefined,
  storeFile: ((inputId: string, value: unknown) => Promise<unknown>) | undefined,
): Promise<Record<string, unknown>> => {
  const out = { ...(inputs ?? {}) };
  if (!storeFile) return out;
  for (const input of flow.inputs ?? []) {
    const id = input.id ?? (input as { name?: string }).name;
    if (input.type === 'FILE' && id && out[id] !== undefined && out[id] !== null)
      out[id] = await storeFile(id, out[id]);
  }
  return out;
};

/** Flow labels as a list, whatever form (map or list) the flow used. */
export const flowLabels = (flow: Flow): Label[] => {
  const l = flow.labels;
  if (!l) return [];
  if (Array.isArray(l)) return l.map((x) => ({ key: String(x.key), value: String(x.value) }));
  return Object.entries(l).map(([key, value]) => ({ key, value: String(value) }));
};

/** Later labels override earlier ones with the same key; order of first appearance is kept. */
export const mergeLabels = (...lists: Label[][]): Label[] => {
  const merged = new Map<string, string>();
  for (const list of lists) for (const { key, value } of list) merged.set(key, value);
  return [...merged].map(([key, value]) => ({ key, value }));
};

/** The execution in state CREATED, before its inputs are known. */
const draft = (req: NewExecutionRequest): Execution => {
  const date = new Date(req.now).toISOString();
  return {
    id: req.id,
    namespace: req.flow.namespace,
    flowId: req.flow.id,
    flowRevision: req.revision,
    state: { current: 'CREATED', startDate: date, histories: [{ state: 'CREATED', date }] },
    inputs: {},
    labels: mergeLabels(flowLabels(req.flow), req.labels ?? [], [
      { key: 'system.correlationId', value: req.correlationId ?? req.id },
    ]),
    trigger: req.trigger,
    parentId: req.parentId,
    parentTaskRunId: req.parentTaskRunId,
    originalId: req.originalId,
    taskRuns: [],
    attemptNumber: req.attemptNumber ?? 1,
  };
};

/** The request's inputs checked and typed against the flow's declarations (defaults applied). */
const checkInputs = (req: NewExecutionRequest) => {
  const execution = draft(req);
  const services = { services: req.expressionServices };
  const context = (e: Execution) =>
    buildRenderContext(req.flow, e, undefined, undefined, { cipher: req.cipher, envs: req.envs });
  return resolveInputs(req.flow, req.inputs ?? {}, {
    // Kestra 1.x renders expression defaults when the execution is created, with the execution's
    // variables and, as `inputs`, only the inputs the input depends on.
    renderDefault: (defaults, inputs) => renderValue(defaults, context({ ...execution, inputs }), services),
    // A SELECT/MULTISELECT `expression` sees the inputs declared before it.
    renderExpression: (expression, inputs) =>
      renderTyped(expression, context({ ...execution, inputs }) as RenderContext, services),
    // FILE inputs were put in internal storage beforehand (storeFileInputs): only URIs arrive here.
    storeFile: (inputId, value) => {
      if (typeof value === 'string' && value.startsWith('kestra:///')) return value;
      throw new InputError([
        `Invalid input for \`${inputId}\`: a FILE input needs a file (key=@path on the command line)`,
      ]);
    },
  });
};

/** The execution in state CREATED, with these (checked) input values. */
const assemble = (req: NewExecutionRequest, values: Record<string, unknown>): Execution => {
  for (const input of req.flow.inputs ?? []) {
    const v = values[input.id];
    if (input.type === 'SECRET' && typeof v === 'string') values[input.id] = req.cipher.encrypt(v);
  }
  return { ...draft(req), inputs: values };
};

/**
 * Validates inputs and builds the execution in state CREATED. Throws FlowDisabledError or InputError;
 * nothing is stored.
 */
export const buildExecution = (req: NewExecutionRequest): Execution => {
  assertExecutable(req.flow);
  const { values, errors } = checkInputs(req);
  if (errors.length > 0) throw new InputError(errors.map((e) => e.message));
  return assemble(req, values);
};

const setPath = (target: Record<string, unknown>, id: string, value: unknown): void => {
  const parts = id.split('.');
  let cur = target;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
};

/**
 * A flow-triggered execution, built as Kestra builds one: its Flow trigger passes the rendered `inputs`
 * without validating them against the flow (FlowTriggerCaseTest expects a listener with a required input
 * that no trigger gives to run to SUCCESS). Inputs that pass are typed and defaulted as usual; one that
 * fails keeps the value given, or stays absent when none was. `warnings` says which failed and why, for
 * the new execution's logs. Throws FlowDisabledError only.
 */
export const buildTriggeredExecution = (
  req: NewExecutionRequest,
): { execution: Execution; warnings: string[] } => {
  assertExecutable(req.flow);
  const given = req.inputs ?? {};
  const { values, errors } = checkInputs(req);
  for (const e of errors) {
    const v = Object.hasOwn(given, e.input) ? given[e.input] : undefined;
    if (v !== undefined && v !== null) setPath(values, e.input, v);
  }
  return { execution: assemble(req, values), warnings: errors.map((e) => e.message) };
};
