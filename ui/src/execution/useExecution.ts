/**
 * An execution, live: read, then followed over server-sent events until it ends, the changes of one
 * animation frame applied together (only the newest state of the frame matters). `follow()` starts
 * again after an action brought an ended execution back to life (restart).
 */
import { useCallback, useEffect, useState } from 'react';
import { followExecution, getExecution } from '../api/executions.ts';
import type { Execution } from '../api/types.ts';
import { frameBatcher } from './frame-batch.ts';

/** How long to wait before following again after the stream broke (server restart, network). */
const RETRY_MS = 2_000;

export interface LiveExecution {
  execution: Execution | undefined;
  error: unknown;
  live: boolean;
  /** Follows again (after restart or resume). */
  follow: () => void;
  /** How many times it was followed again: what follows it too (the logs) starts again with it. */
  generation: number;
  /** Shows this state until the stream says more (an action's answer). */
  show: (execution: Execution) => void;
}

export const useExecution = (id: string): LiveExecution => {
  const [execution, setExecution] = useState<Execution>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation follows again
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const batch = frameBatcher<Execution>((states) => setExecution(states.at(-1)));
    const follow = async () => {
      try {
        setLive(true);
        await followExecution(id, batch.push, controller.signal);
        batch.flush();
        setLive(false);
        // The stream ends with the execution; read it once more in case the end event was missed.
        setExecution(await getExecution(id));
        setError(undefined);
      } catch (err) {
        setLive(false);
        if (controller.signal.aborted) return;
        setError(err);
        const status = (err as { status?: number }).status;
        if (status === undefined || status >= 500) timer = setTimeout(() => void follow(), RETRY_MS);
      }
    };
    void follow();
    return () => {
      controller.abort();
      batch.cancel();
      clearTimeout(timer);
    };
  }, [id, generation]);

  const follow = useCallback(() => setGeneration((g) => g + 1), []);
  return { execution, error, live, follow, generation, show: setExecution };
};
