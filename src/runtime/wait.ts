/** Waiting for executions to reach a state, driven by the executor's events (no fixed sleeps). */
import type { Execution, State } from '../execution/types.ts';
import type { ExecutorService } from '../executor/service.ts';
import type { Store } from '../store/types.ts';

/**
 * Safety net for waits: re-check the store this often in case the awaited change was made by another
 * process (whose events this process does not see).
 */
const RECHECK_MS = 1_000;

export const waitForExecution = (
  executor: ExecutorService,
  id: string,
  done: (e: Execution) => boolean,
): Promise<Execution> =>
  new Promise((resolve, reject) => {
    const onExecution = (e: Execution) => {
      if (e.id === id && done(e)) finish(e);
    };
    const check = async () => {
      const e = await executor.getExecution(id);
      if (e && done(e)) finish(e);
    };
    const timer = setInterval(() => {
      check().catch(reject);
    }, RECHECK_MS);
    const finish = (e: Execution) => {
      clearInterval(timer);
      executor.off('execution', onExecution);
      resolve(e);
    };
    executor.on('execution', onExecution);
    check().catch(reject);
  });

/** States in which an execution still needs the engine (PAUSED waits for a person, not for us). */
const BUSY: State[] = ['CREATED', 'QUEUED', 'RUNNING', 'KILLING', 'RESTARTED', 'RETRYING'];

/** Waits until no execution of the store needs the engine; returns how many it waited for. */
export const waitForIdle = async (engine: { store: Store; executor: ExecutorService }): Promise<number> => {
  const busy = await engine.store.listExecutions({ states: BUSY });
  for (const e of busy) {
    await waitForExecution(engine.executor, e.id, (x) => !BUSY.includes(x.state.current));
  }
  return busy.length;
};

/**
 * The next attempt of an execution that ended RETRIED under a flow `retry` with CREATE_NEW_EXECUTION: the
 * execution of the same flow whose `originalId` is the first attempt's id and whose attempt number is one
 * more. It is created after the retry interval, so this waits for it.
 */
export const waitForNextAttempt = (
  engine: { store: Store; executor: ExecutorService },
  retried: Execution,
): Promise<string> => {
  const root = retried.originalId ?? retried.id;
  const isNext = (e: Omit<Execution, 'taskRuns'>) =>
    e.id !== retried.id && (e.originalId ?? e.id) === root && e.attemptNumber === retried.attemptNumber + 1;
  return new Promise((resolve, reject) => {
    const onExecution = (e: Execution) => {
      if (isNext(e)) finish(e);
    };
    const check = async () => {
      const candidates = await engine.store.listExecutions({
        namespace: retried.namespace,
        flowId: retried.flowId,
        since: retried.state.startDate,
      });
      const found = candidates.find(isNext);
      if (found) finish(found);
    };
    const timer = setInterval(() => {
      check().catch(reject);
    }, RECHECK_MS);
    const finish = (e: Omit<Execution, 'taskRuns'>) => {
      clearInterval(timer);
      engine.executor.off('execution', onExecution);
      resolve(e.id);
    };
    engine.executor.on('execution', onExecution);
    check().catch(reject);
  });
};
