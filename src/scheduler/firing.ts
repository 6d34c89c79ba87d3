/**
 * Starting an execution for a trigger: built by the executor's creation code and written in ONE
 * transaction with the trigger's new state (next date, lock, memory), the write requiring the state's
 * version as it was read. A crash before the commit leaves neither; a second scheduler that read the
 * same state loses the compare-and-set: each tick or event starts one execution.
 */
import type { Execution, Label } from '../execution/types.ts';
import { type RenderContext, renderValue } from '../expression/index.ts';
import type { Flow, Trigger } from '../flow/types.ts';
import type { LocalStorage } from '../storage/local.ts';
import { TriggerStateConflictError } from '../store/errors.ts';
import type { ExecutionWrite, Store, TriggerState } from '../store/types.ts';
import type { SchedulerLog } from './registry.ts';
import { flowVariables } from './spec.ts';

/** A trigger state as written (the store sets `updatedAt` and `version`). */
export type StateWrite = Omit<TriggerState, 'updatedAt' | 'version'>;

/** Whether the trigger waits for an execution it started (Kestra's locked trigger). */
export const isLocked = (state: TriggerState | undefined): boolean =>
  state?.executionId !== undefined && state.lockedAt !== undefined;

export const withoutMeta = (state: TriggerState): StateWrite => {
  const { updatedAt: _u, version: _v, ...rest } = state;
  return rest;
};

/** What the scheduler needs of the executor. */
export interface ExecutionCreator {
  prepareExecution(req: {
    flow: Flow;
    revision: number;
    inputs?: Record<string, unknown>;
    labels?: Label[];
    trigger?: Execution['trigger'];
  }): Promise<{ execution: Execution; write: ExecutionWrite }>;
  created(execution: Execution): void;
}

export interface FiringDeps {
  store: Store;
  executor: ExecutionCreator;
  log: SchedulerLog;
  now(): number;
  /** Internal storage, handed to polling and realtime trigger types. */
  storage?: LocalStorage;
  /** Told of each execution a schedule tick started, with the tick's date (the scheduler's lag). */
  onScheduled?: (execution: Execution, dueAt: number) => void;
}

export interface Start {
  /** The execution's `trigger.variables`. */
  variables: Record<string, unknown>;
  /** Given from outside (a backfill's): used as they are, never rendered. */
  inputs?: Record<string, unknown>;
  labels?: Label[];
}

const triggerLabels = (trigger: Trigger, ctx: RenderContext): Label[] => {
  const l = trigger.labels;
  if (!l || typeof l !== 'object') return [];
  const pairs = Array.isArray(l)
    ? l.map((x) => [String((x as Label).key), (x as Label).value] as const)
    : Object.entries(l);
  return pairs.map(([key, value]) => ({ key, value: String(renderValue(value, ctx)) }));
};

/**
 * Writes `next` (the trigger's state after this start) with the execution of `start` (if any), which
 * locks the trigger with `lock` (it then waits for that execution to end). A start that cannot be built (inputs that
 * do not fit, an expression that fails) is logged and skipped: the state still moves on, so that the
 * tick is not tried again and again. Returns the execution started (or null), or undefined when the
 * state changed meanwhile (nothing written: decide again from a fresh read).
 */
export const commitStart = async (
  deps: FiringDeps,
  flow: Flow,
  trigger: Trigger,
  read: TriggerState | undefined,
  next: StateWrite,
  start: Start | undefined,
  options: { lock: boolean; context?: Record<string, unknown> },
): Promise<Execution | null | undefined> => {
  let prepared: { execution: Execution; write: ExecutionWrite } | undefined;
  if (start) {
    const ctx: RenderContext = { ...flowVariables(flow), trigger: start.variables, ...options.context };
    try {
      const rendered = trigger.inputs === undefined ? {} : renderValue(trigger.inputs, ctx);
      prepared = await deps.executor.prepareExecution({
        flow,
        revision: flow.revision ?? 1,
        inputs: { ...(rendered as Record<string, unknown>), ...start.inputs },
        labels: [...triggerLabels(trigger, ctx), ...(start.labels ?? [])],
        trigger: { id: trigger.id, type: trigger.type, variables: start.variables },
      });
    } catch (error) {
      deps.log.warn(
        { namespace: flow.namespace, flowId: flow.id, trigger: trigger.id, err: (error as Error).message },
        'trigger did not start an execution',
      );
    }
  }
  // The trigger remembers the last execution it started (for `stopAfter`), locked by it or not.
  const state: StateWrite = prepared
    ? {
        ...next,
        executionId: prepared.execution.id,
        lockedAt: options.lock ? new Date(deps.now()).toISOString() : undefined,
      }
    : next;
  const triggers = [{ state, expectVersion: read?.version ?? 0 }];
  try {
    await deps.store.writeExecution({ ...prepared?.write, triggers });
  } catch (error) {
    if (error instanceof TriggerStateConflictError) return undefined;
    throw error;
  }
  if (!prepared) return null;
  deps.executor.created(prepared.execution);
  return prepared.execution;
};

/** Writes a trigger's state alone; false when it changed meanwhile. */
export const commitState = async (
  store: Store,
  read: TriggerState | undefined,
  next: StateWrite | undefined,
): Promise<boolean> => {
  const key = read ?? next;
  if (!key) return true;
  try {
    await store.writeExecution({
      triggers: [
        next
          ? { state: next, expectVersion: read?.version ?? 0 }
          : {
              delete: { namespace: key.namespace, flowId: key.flowId, triggerId: key.triggerId },
              expectVersion: read?.version ?? 0,
            },
      ],
    });
    return true;
  } catch (error) {
    if (error instanceof TriggerStateConflictError) return false;
    throw error;
  }
};
