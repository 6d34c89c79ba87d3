/**
 * Executions the executor creates from its messages (I/O: flows, FILE inputs): a parent's subflow, a
 * flow-triggered execution, a flow retry's new attempt. What fails here fails the step, which the shell
 * retries and, when it keeps failing, gives up on (see failures.ts); except what Kestra itself treats as
 * "nothing to start" (a flow gone or disabled) and a subflow, whose failure is its parent's business.
 */
import type { Execution } from '../execution/types.ts';
import { type ExpressionServices, type LookupSources, Lookups } from '../expression/index.ts';
import type { Flow } from '../flow/types.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import { knownSecrets, openSecrets, sealSecrets } from '../secrets/seal.ts';
import type { ExecutionWrite, Store } from '../store/types.ts';
import { newId } from '../util/ids.ts';
import {
  assertExecutable,
  buildExecution,
  buildTriggeredExecution,
  FlowDisabledError,
  storeFileInputs,
} from './create.ts';
import { stripTaskRuns } from './effects.ts';
import { FlowNotFoundError, type FlowRepository } from './flows.ts';
import type { ExecutorMessage, SubflowSpec } from './messages.ts';
import type { ExecutorEvent } from './types.ts';

export interface CreationDeps {
  flows: FlowRepository;
  getExecution(id: string): Promise<Execution | undefined>;
  storeFiles(
    id: string,
    flow: Flow,
    inputs: Record<string, unknown> | undefined,
  ): Promise<Record<string, unknown>>;
  /** Runs a pure build until the `kv()`/jq lookups of its input expressions are answered (see Lookups). */
  withLookups<T>(build: (services: ExpressionServices) => T): Promise<T>;
  /** Told of what was not started, and why (Kestra starts nothing then). */
  report(error: unknown): void;
  /** The engine's key (SECRET inputs, secrets a parent passes to its subflow). */
  cipher: SecretCipher;
  /** The engine's `envs` (see envVariables). */
  envs: Readonly<Record<string, string>>;
}

/** What `createExecution` is given: the flow, inputs, labels, trigger... (`id` and `now` are its own). */
export type CreationRequest = Omit<Parameters<typeof buildExecution>[0], 'id' | 'now' | 'cipher' | 'envs'> & {
  id?: string;
};

/**
 * A new execution in CREATED, and the write that stores it and queues its admission, with `owner`
 * driving it. Throws FlowDisabledError or InputError; nothing is written (not even FILE inputs).
 */
export const prepareCreation = async (
  deps: CreationDeps,
  owner: string,
  req: CreationRequest,
): Promise<{ execution: Execution; write: ExecutionWrite }> => {
  assertExecutable(req.flow);
  const id = req.id ?? newId();
  const inputs = await deps.storeFiles(id, req.flow, req.inputs);
  const now = Date.now();
  const execution = await deps.withLookups((expressionServices) =>
    buildExecution({ ...req, inputs, id, now, expressionServices, cipher: deps.cipher, envs: deps.envs }),
  );
  const created: ExecutorMessage = { type: 'created' };
  return {
    execution,
    write: {
      execution: stripTaskRuns(execution),
      enqueue: [{ queue: 'executor', executionId: id, payload: created }],
      owners: [{ executionId: id, owner }],
    },
  };
};

/** Builds a subflow execution; on failure (unknown flow, bad inputs) tells the parent and returns undefined. */
export const buildSubflow = async (
  deps: CreationDeps,
  id: string,
  spec: SubflowSpec,
  write: ExecutionWrite,
): Promise<Execution | undefined> => {
  const parent = await deps.getExecution(spec.parentExecutionId);
  const correlationId =
    parent?.labels.find((l) => l.key === 'system.correlationId')?.value ?? spec.parentExecutionId;
  try {
    const flow = await deps.flows.get(spec.namespace, spec.flowId, spec.revision);
    assertExecutable(flow);
    // Inputs the parent passes may carry its secrets, sealed in the message: validated opened, and
    // sealed again in the child, which knows them too.
    const inputs = await deps.storeFiles(id, flow, openSecrets(spec.inputs, deps.cipher));
    const now = Date.now();
    const child = await deps.withLookups((expressionServices) =>
      buildExecution({
        id,
        flow,
        revision: flow.revision ?? 1,
        inputs,
        labels: spec.labels,
        trigger:
          spec.iteration === undefined
            ? spec.trigger
            : { ...spec.trigger, variables: { ...spec.trigger.variables, iteration: spec.iteration } },
        parentId: spec.parentExecutionId,
        parentTaskRunId: spec.parentTaskRunId,
        correlationId,
        now,
        expressionServices,
        cipher: deps.cipher,
        envs: deps.envs,
      }),
    );
    if (!spec.secrets?.length) return child;
    const withParents = { ...child, secrets: spec.secrets };
    const known = knownSecrets(flow, withParents, deps.cipher);
    return { ...withParents, inputs: sealSecrets(child.inputs, known, deps.cipher) };
  } catch (error) {
    write.enqueue!.push({
      queue: 'executor',
      executionId: spec.parentExecutionId,
      payload: {
        type: 'subflow-update',
        taskRunId: spec.parentTaskRunId,
        childExecutionId: id,
        state: 'FAILED',
        iteration: spec.iteration,
        error: error instanceof Error ? error.message : String(error),
      } satisfies ExecutorEvent,
    });
    return undefined;
  }
};

/**
 * Builds a flow-triggered execution. Its inputs are not validated (as in Kestra): what fails validation
 * is logged as a WARN line of the new execution. Returns undefined when the flow is gone or disabled
 * (Kestra starts nothing then); any other failure throws (the step fails).
 */
export const buildTriggered = async (
  deps: CreationDeps,
  id: string,
  m: Extract<ExecutorMessage, { type: 'create-triggered' }>,
  write: ExecutionWrite,
): Promise<Execution | undefined> => {
  let flow: Flow;
  try {
    flow = await deps.flows.get(m.namespace, m.flowId, m.revision);
    assertExecutable(flow);
  } catch (error) {
    if (!(error instanceof FlowNotFoundError || error instanceof FlowDisabledError)) throw error;
    deps.report(error);
    return undefined;
  }
  const inputs = await deps.storeFiles(id, flow, m.inputs);
  const now = Date.now();
  const { execution, warnings } = await deps.withLookups((expressionServices) =>
    buildTriggeredExecution({
      id,
      flow,
      revision: flow.revision ?? 1,
      inputs,
      trigger: m.trigger,
      now,
      expressionServices,
      cipher: deps.cipher,
      envs: deps.envs,
    }),
  );
  const timestamp = new Date().toISOString();
  for (const message of warnings)
    write.logs!.push({
      executionId: id,
      namespace: execution.namespace,
      flowId: execution.flowId,
      level: 'WARN',
      message: `Flow trigger '${m.trigger.id}': ${message}; the execution starts anyway, as in Kestra`,
      timestamp,
    });
  return execution;
};

/** The next attempt of an execution (flow retry with CREATE_NEW_EXECUTION); undefined if it is gone. */
export const buildAttempt = async (
  deps: CreationDeps,
  id: string,
  from: Execution | undefined,
): Promise<Execution | undefined> => {
  if (!from) return undefined;
  const flow = await deps.flows.get(from.namespace, from.flowId, from.flowRevision);
  const date = new Date().toISOString();
  return {
    ...from,
    id,
    originalId: from.originalId ?? from.id,
    attemptNumber: from.attemptNumber + 1,
    state: { current: 'CREATED', startDate: date, histories: [{ state: 'CREATED', date }] },
    taskRuns: [],
    outputs: undefined,
    error: undefined,
    flowRevision: flow.revision ?? from.flowRevision,
  };
};

/** Whether a queued message creates the execution it is addressed to. */
export const isCreation = (payload: unknown): boolean => {
  const type = (payload as { type?: unknown } | null)?.type;
  return type === 'create-subflow' || type === 'create-triggered' || type === 'create-attempt';
};

/**
 * Executions a step creates (subflows, flow-triggered executions, new attempts) are driven by the process
 * that drives the execution creating them: the one waiting for it, or this one (`owner`).
 */
export const recordOwners = async (
  store: Store,
  owner: string,
  executionId: string,
  write: ExecutionWrite,
): Promise<void> => {
  const creations = write.enqueue!.filter((m) => m.queue === 'executor' && isCreation(m.payload));
  if (creations.length === 0) return;
  const driver = (await store.getExecutionOwner(executionId)) ?? owner;
  write.owners = creations.map((m) => ({ executionId: m.executionId, owner: driver }));
};

/** Puts an execution's FILE inputs into internal storage through `storeFile`, when there is one. */
export const storeFilesOf = (
  storeFile:
    | ((executionId: string, flow: Flow, inputId: string, value: unknown) => Promise<unknown>)
    | undefined,
  id: string,
  flow: Flow,
  inputs: Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> =>
  storeFileInputs(
    flow,
    inputs,
    storeFile ? (inputId, value) => storeFile(id, flow, inputId, value) : undefined,
  );

/**
 * Runs a pure build (rendering input expressions and defaults) until the `kv()`/jq lookups it makes are
 * answered: the store is read with its asynchronous API, and jq never blocks the executor.
 */
export const runWithLookups = <T>(
  sources: LookupSources | undefined,
  services: ExpressionServices | undefined,
  build: (services: ExpressionServices) => T,
): Promise<T> => {
  const lookups = new Lookups(sources ?? {});
  return lookups.run(() => build({ ...lookups.services, ...services }));
};
