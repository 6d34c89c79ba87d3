/**
 * Part of the tasks' API, called by the worker (which implements context.ts): what a task family keeps
 * open across jobs in a worker process (connection pools...) registers its closing here, and
 * `Worker.stop()` runs the hooks once its jobs are done. Several workers of one process (tests,
 * embedding) share the resources: a hook must leave its family able to reopen on next use.
 */
const hooks = new Set<() => Promise<void>>();

export const onWorkerShutdown = (close: () => Promise<void>): void => {
  hooks.add(close);
};

/** Runs every hook; one that fails does not keep the others from running. */
export const runWorkerShutdownHooks = async (): Promise<void> => {
  await Promise.allSettled([...hooks].map((close) => close()));
};
