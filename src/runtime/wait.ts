/**
 * Waiting for executions to reach a state, driven by the executor's events (no fixed sleeps). Every
 * wait takes an optional AbortSignal: when it fires (Ctrl-C, a fatal database failure) the wait
 * rejects with its reason and leaves no timer or listener behind, so that the process can exit.
 */
import { type Execution, isTerminal, type State } from '../execution/types.ts';
import type { ExecutorService } from '../executor/service.ts';
import type { OwnedExecution, Store } from '../store/types.ts';

/**
 * Safety net for waits: re-check the store this often in case the awaited change was made by another
 * process (whose events this process does not see).
 */
const RECHECK_MS = 1_000;

/**
 * Resolves with the first non-undefined result of `check`, which runs now, at every execution event of
 * this process and every RECHECK_MS.
 */
const watch = <T>(
  executor: ExecutorService,
  check: (changed?: Execution) => Promise<T | undefined> | T | undefined,
  signal?: AbortSignal,
): Promise<T> =>
  new Promise((resolve, reject) => {
    let settled = false;
    const cleanup = () => {
      settled = true;
      clearInterval(timer);
      executor.off('execution', onExecution);
      signal?.removeEventListener('abort', onAbort);
    };
    const run = (changed?: Execution) => {
      Promise.resolve(check(changed)).then(
        (value) => {
          if (settled || value === undefined) return;
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          cleanup();
          reject(error);
        },
      );
    };
    const onExecution = (e: Execution) => run(e);
    const onAbort = () => {
      if (settled) return;
      cleanup();
      reject(signal?.reason);
    };
    const timer = setInterval(() => run(), RECHECK_MS);
    executor.on('execution', onExecution);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    else run();
  });

export const waitForExecution = (
  executor: ExecutorService,
  id: string,
  done: (e: Execution) => boolean,
  signal?: AbortSignal,
): Promise<Execution> =>
  watch(
    executor,
    async (changed) => {
      if (changed) return changed.id === id && done(changed) ? changed : undefined;
      const e = await executor.getExecution(id);
      return e && done(e) ? e : undefined;
    },
    signal,
  );

/** States in which an execution still needs the engine (PAUSED waits for a person, not for us). */
const BUSY: State[] = ['CREATED', 'QUEUED', 'RUNNING', 'KILLING', 'RESTARTED', 'RETRYING'];

/**
 * Whether an execution a process owns still needs the engine: it runs, or waits to be created (its
 * creation message is queued), or has ended but still has work queued (afterExecution tasks).
 */
const needsEngine = (o: OwnedExecution): boolean =>
  o.state === undefined ? o.queued : BUSY.includes(o.state) || (isTerminal(o.state) && o.queued);

/**
 * Waits until no execution this process owns needs the engine any more: those it started that the one
 * it waited for triggered (Flow triggers, subflows that do not wait), and those it took over from a dead
 * process. Returns the ids it waited for.
 */
export const waitForOwnedWork = async (
  engine: { store: Store; executor: ExecutorService; owner: string },
  signal?: AbortSignal,
): Promise<string[]> => {
  const waited = new Set<string>();
  return watch(
    engine.executor,
    async (changed) => {
      // Work ends with an execution ending (or pausing): other changes cannot end the wait.
      if (changed && !isTerminal(changed.state.current) && changed.state.current !== 'PAUSED') return;
      const busy = (await engine.store.listOwnedExecutions(engine.owner)).filter(needsEngine);
      for (const o of busy) waited.add(o.executionId);
      return busy.length === 0 ? [...waited] : undefined;
    },
    signal,
  );
};

/**
 * The next attempt of an execution that ended RETRIED under a flow `retry` with CREATE_NEW_EXECUTION: the
 * execution of the same flow whose `originalId` is the first attempt's id and whose attempt number is one
 * more. It is created after the retry interval, so this waits for it.
 */
export const waitForNextAttempt = (
  engine: { store: Store; executor: ExecutorService },
  retried: Execution,
  signal?: AbortSignal,
): Promise<string> => {
  const root = retried.originalId ?? retried.id;
  const isNext = (e: Omit<Execution, 'taskRuns'>) =>
    e.id !== retried.id && (e.originalId ?? e.id) === root && e.attemptNumber === retried.attemptNumber + 1;
  return watch(
    engine.executor,
    async (changed) => {
      if (changed) return isNext(changed) ? changed.id : undefined;
      const candidates = await engine.store.listExecutions({
        namespace: retried.namespace,
        flowId: retried.flowId,
        since: retried.state.startDate,
      });
      return candidates.find(isNext)?.id;
    },
    signal,
  );
};
