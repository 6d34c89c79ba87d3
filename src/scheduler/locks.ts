/**
 * The end of an execution a trigger started: the trigger is unlocked (its next tick or poll may
 * start), and turned off when the execution ended in one of its `stopAfter` states (its next date is
 * then forgotten: turned on again, it starts from then). An execution that no longer exists (deleted)
 * unlocks it too, rather than blocking it for good.
 */
import { isTerminal } from '../execution/types.ts';
import type { Store, TriggerState } from '../store/types.ts';
import { commitState, withoutMeta } from './firing.ts';
import type { ManagedTrigger } from './flow-index.ts';
import type { SchedulerLog } from './registry.ts';
import { stopAfterOf } from './spec.ts';

/** Whether the state changed (written). */
export const releaseIfEnded = async (
  store: Store,
  log: SchedulerLog,
  m: ManagedTrigger | undefined,
  state: TriggerState,
): Promise<boolean> => {
  if (state.executionId === undefined) return false;
  const execution = await store.getExecution(state.executionId);
  if (execution && !isTerminal(execution.state.current)) return false;
  const ended = execution?.state.current;
  const stop = ended !== undefined && m !== undefined && stopAfterOf(m.trigger).includes(ended);
  const next = { ...withoutMeta(state), executionId: undefined, lockedAt: undefined };
  if (stop) {
    next.disabled = true;
    next.nextDate = undefined;
  }
  const wrote = await commitState(store, state, next);
  if (wrote && stop)
    log.info(
      { trigger: m?.uid, execution: state.executionId, state: ended },
      'trigger disabled by stopAfter',
    );
  return wrote;
};
