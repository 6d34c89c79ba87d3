/**
 * Prometheus metrics of the server (prom-client), in a registry of its own (two servers in one process
 * do not mix their figures). Counters and the task-duration histogram follow the executor's
 * `execution` events, which fire for every change this process commits; gauges are read from the store
 * and the worker when scraped.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Execution, isTerminal, type TaskRun } from '../execution/types.ts';
import type { Embedded } from '../runtime/embedded.ts';

/** Seconds: from a shell step (tens of ms) to long batch jobs (an hour). */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

/**
 * How many ended executions are remembered so that one is counted once even if it changes again after
 * its end (a restart, an afterExecution task). Bounds memory; an execution that changes again after
 * this many others ended is counted twice, a minor skew.
 */
const ENDED_MEMORY = 10_000;

export interface ServerMetrics {
  registry: Registry;
  /** Seconds between a schedule's due time and its execution's creation (set by the scheduler). */
  schedulerLag: Histogram<'namespace' | 'flow_id'>;
  stop(): void;
}

const seconds = (start: string, end: string | undefined) =>
  end === undefined ? undefined : (Date.parse(end) - Date.parse(start)) / 1000;

export const createMetrics = (engine: Embedded, prefix = 'baton_'): ServerMetrics => {
  const registry = new Registry();
  // Every series names the process it comes from (the id `baton cluster` lists), so that the figures of
  // several processes on one database can be told apart and summed. Not `instance`: Prometheus sets
  // that to the scrape target and would rename ours.
  registry.setDefaultLabels({ instance_id: engine.owner });
  const created = new Counter({
    name: `${prefix}executions_created_total`,
    help: 'Executions created, by flow',
    labelNames: ['namespace', 'flow_id'] as const,
    registers: [registry],
  });
  const ended = new Counter({
    name: `${prefix}executions_ended_total`,
    help: 'Executions that reached a terminal state, by flow and state',
    labelNames: ['namespace', 'flow_id', 'state'] as const,
    registers: [registry],
  });
  const taskDuration = new Histogram({
    name: `${prefix}task_run_duration_seconds`,
    help: 'Duration of ended task runs, by flow and state',
    labelNames: ['namespace', 'flow_id', 'state'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const schedulerLag = new Histogram({
    name: `${prefix}scheduler_lag_seconds`,
    help: 'Delay between a scheduled time and the creation of its execution',
    labelNames: ['namespace', 'flow_id'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 30, 60, 300],
    registers: [registry],
  });
  new Gauge({
    name: `${prefix}queue_depth`,
    help: 'Messages waiting in the queue, by consumer',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.set({ queue: 'executor' }, await engine.store.countQueue('executor'));
      this.set({ queue: 'worker' }, await engine.store.countQueue('worker'));
    },
  });
  new Gauge({
    name: `${prefix}worker_busy_slots`,
    help: 'Task runs this process is running',
    registers: [registry],
    collect() {
      this.set(engine.worker.runningCount);
    },
  });
  new Gauge({
    name: `${prefix}queue_lag_seconds`,
    help: 'How long the queue messages this process claimed lately waited for it (its heartbeat shows the same)',
    registers: [registry],
    collect() {
      this.set(engine.claimLag.lagMs() / 1000);
    },
  });

  const endedIds = new Set<string>();
  const onExecution = (execution: Execution, changed: TaskRun[]) => {
    const flow = { namespace: execution.namespace, flow_id: execution.flowId };
    if (execution.state.current === 'CREATED' && changed.length === 0) created.inc(flow);
    if (isTerminal(execution.state.current) && !endedIds.has(execution.id)) {
      endedIds.add(execution.id);
      if (endedIds.size > ENDED_MEMORY) endedIds.delete(endedIds.values().next().value as string);
      ended.inc({ ...flow, state: execution.state.current });
    }
    for (const tr of changed) {
      if (!isTerminal(tr.state.current)) continue;
      const s = seconds(tr.state.startDate, tr.state.endDate);
      if (s !== undefined && s >= 0) taskDuration.observe({ ...flow, state: tr.state.current }, s);
    }
  };
  engine.executor.on('execution', onExecution);
  return {
    registry,
    schedulerLag,
    stop: () => engine.executor.off('execution', onExecution),
  };
};
