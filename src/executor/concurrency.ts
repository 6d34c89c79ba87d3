/**
 * Flow concurrency (`concurrency: {limit, behavior}`): whether a new execution may start now. It needs
 * to count running executions, which is I/O, so the shell decides and tells `reduce` with an event.
 */
import type { Execution, State } from '../execution/types.ts';
import type { Flow } from '../flow/types.ts';
import type { Store } from '../store/types.ts';
import type { ExecutorEvent } from './types.ts';

/** States that occupy a concurrency slot. */
const ACTIVE: State[] = ['RUNNING', 'PAUSED', 'RESTARTED', 'KILLING', 'RETRYING'];

/**
 * Decides admission of an execution in CREATED or QUEUED. `admittedNow` counts executions admitted in
 * the current batch but not yet committed, per flow, so that one batch cannot overshoot the limit.
 */
export const admit = async (
  store: Store,
  execution: Execution,
  admittedNow: Map<string, number>,
  flow: Flow,
): Promise<ExecutorEvent[]> => {
  const concurrency = flow.concurrency;
  const key = `${execution.namespace}\u0000${execution.flowId}`;
  if (!concurrency) return [{ type: 'start' }];
  const running =
    (await store.countExecutions({
      namespace: execution.namespace,
      flowId: execution.flowId,
      states: ACTIVE,
    })) + (admittedNow.get(key) ?? 0);
  if (running < concurrency.limit) {
    admittedNow.set(key, (admittedNow.get(key) ?? 0) + 1);
    return [{ type: 'start' }];
  }
  const behavior = concurrency.behavior ?? 'QUEUE';
  if (behavior === 'QUEUE') return execution.state.current === 'QUEUED' ? [] : [{ type: 'queue' }];
  const reason = `Flow is limited to ${concurrency.limit} concurrent execution(s)`;
  return [{ type: 'reject', state: behavior === 'CANCEL' ? 'CANCELLED' : 'FAILED', reason }];
};

/** The oldest QUEUED execution of the flow, to admit when a slot frees up. */
export const nextQueuedExecution = async (
  store: Store,
  flow: Flow,
  except: string,
): Promise<string | undefined> => {
  if (!flow.concurrency) return undefined;
  const queued = await store.listExecutions({
    namespace: flow.namespace,
    flowId: flow.id,
    states: ['QUEUED'],
  });
  const candidates = queued.filter((e) => e.id !== except);
  // listExecutions returns newest first.
  return candidates.at(-1)?.id;
};
