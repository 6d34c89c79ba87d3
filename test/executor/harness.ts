/**
 * Drives `reduce` the way the service does, with a simulated worker and a simulated clock: each
 * `dispatch` is answered by `task-started` + `task-result` (Return → `{value}`, Log → SUCCESS, Fail →
 * FAILED, OutputValues → `{values}`, Sleep → SUCCESS after its duration...), timers fire in time order.
 * Task properties are rendered with the real expression engine and the executor's render context.
 */
import { parse } from 'yaml';
import type { Execution, LogEntry, TaskRun } from '../../src/execution/types.ts';
import { buildRenderContext } from '../../src/executor/context.ts';
import { reduce } from '../../src/executor/reduce.ts';
import { durationMs, newStateHistory } from '../../src/executor/state.ts';
import { canonical } from '../../src/executor/tasks.ts';
import type { ExecutorEvent, SideEffect } from '../../src/executor/types.ts';
import { isTruthy, renderString as render, renderValue } from '../../src/expression/index.ts';
import { parseFlow } from '../../src/flow/parse.ts';
import type { Flow, Task } from '../../src/flow/types.ts';
import { plainCipher } from '../../src/secrets/encryption.ts';
import type { TaskEffect } from '../../src/tasks/types.ts';

export const flowFromYaml = (text: string): Flow => {
  try {
    const parsed = parseFlow(text, 'test.yaml');
    if (parsed.flow) return parsed.flow;
  } catch {
    // fall back to the raw document
  }
  return parse(text) as Flow;
};

export const T0 = Date.parse('2025-01-01T00:00:00Z');

export const newExecution = (flow: Flow, inputs: Record<string, unknown> = {}, now = T0): Execution => {
  const labels = Array.isArray(flow.labels)
    ? flow.labels
    : Object.entries(flow.labels ?? {}).map(([key, value]) => ({ key, value: String(value) }));
  return {
    id: 'exec-1',
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: flow.revision ?? 1,
    state: newStateHistory('CREATED', now),
    inputs,
    labels: [...labels, { key: 'system.correlationId', value: 'exec-1' }],
    taskRuns: [],
    attemptNumber: 1,
  };
};

interface Queued {
  at: number;
  seq: number;
  event: ExecutorEvent;
}

export interface SimOptions {
  inputs?: Record<string, unknown>;
  /** Answer to `start-subflow` effects: the child's final state and flow outputs. */
  subflow?: (e: Extract<SideEffect, { kind: 'start-subflow' }>) => {
    state: 'SUCCESS' | 'FAILED' | 'WARNING';
    outputs?: Record<string, unknown>;
  };
  /** Stop before delivering events at or after this time (to look at a paused execution). */
  until?: number;
  /** Overrides the simulated worker for some tasks. */
  worker?: (task: Task, tr: TaskRun, ctx: Record<string, unknown>) => WorkerAnswer | undefined;
  maxSteps?: number;
}

export interface WorkerAnswer {
  state: 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED';
  outputs?: Record<string, unknown>;
  effects?: TaskEffect[];
  error?: string;
  /** Simulated run time. */
  duration?: number;
}

const toLabels = (v: unknown): { key: string; value: string }[] => {
  if (typeof v === 'string') v = JSON.parse(v);
  if (Array.isArray(v)) return v.map((l) => ({ key: String(l.key), value: String(l.value) }));
  return Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value) }));
};

/** The simulated worker: what each core runnable task does. */
export const simulate = (task: Task, ctx: Record<string, unknown>, logs: LogEntry[] = []): WorkerAnswer => {
  const opts = {
    services: {
      errorLogs: () =>
        logs.filter((l) => l.level === 'ERROR').map((l) => ({ taskId: l.taskId, message: l.message })),
    },
  };
  const renderString = (t: string, c: Record<string, unknown>): string => render(t, c, opts);
  const type = canonical(task.type).split('.').pop();
  try {
    switch (type) {
      case 'Return':
        return { state: 'SUCCESS', outputs: { value: renderString(String(task.format ?? ''), ctx) } };
      case 'Log': {
        const msgs = Array.isArray(task.message) ? task.message : [task.message];
        for (const m of msgs) renderString(String(m ?? ''), ctx);
        return { state: 'SUCCESS' };
      }
      case 'Fail': {
        if (task.condition !== undefined && !isTruthy(renderValue(task.condition, ctx)))
          return { state: 'SUCCESS' };
        return { state: 'FAILED', error: String(task.errorMessage ?? 'Task failure') };
      }
      case 'OutputValues': {
        // Kestra renders each value to a string.
        const values: Record<string, unknown> = {};
        for (const [k, v] of Object.entries((task.values ?? {}) as Record<string, unknown>))
          values[k] = typeof v === 'string' ? renderString(v, ctx) : v;
        return { state: 'SUCCESS', outputs: { values } };
      }
      case 'Sleep':
        return { state: 'SUCCESS', duration: durationMs(task.duration) ?? 0 };
      case 'Labels': {
        const raw = task.labels;
        const rendered =
          raw && typeof raw === 'object' && !Array.isArray(raw)
            ? Object.fromEntries(
                Object.entries(raw).map(([k, v]) => [renderString(k, ctx), renderString(String(v), ctx)]),
              )
            : renderValue(raw, ctx);
        return { state: 'SUCCESS', effects: [{ kind: 'labels', labels: toLabels(rendered) }] };
      }
      case 'Exit':
        return {
          state: 'SUCCESS',
          effects: [{ kind: 'exit', state: (task.state as 'KILLED') ?? 'SUCCESS' }],
        };
      default:
        return { state: 'SUCCESS' };
    }
  } catch (e) {
    return { state: 'FAILED', error: e instanceof Error ? e.message : String(e) };
  }
};

export class Sim {
  execution: Execution;
  readonly flow: Flow;
  now = T0;
  logs: LogEntry[] = [];
  effects: SideEffect[] = [];
  private queue: Queued[] = [];
  private seq = 0;
  private ids = 0;
  readonly opts: SimOptions;

  constructor(flow: Flow, opts: SimOptions = {}) {
    this.flow = flow;
    this.opts = opts;
    this.execution = newExecution(flow, opts.inputs ?? {});
  }

  push(event: ExecutorEvent, at = this.now): void {
    this.queue.push({ at, seq: this.seq++, event });
  }

  /** One reduce call with these events at the current time; side effects are acted upon. */
  step(events: ExecutorEvent[]): void {
    const out = reduce({
      flow: this.flow,
      execution: this.execution,
      events,
      now: this.now,
      newId: () => `tr-${++this.ids}`,
      cipher: plainCipher,
      envs: {},
    });
    this.execution = out.execution;
    for (const e of out.effects) this.handle(e);
  }

  private handle(e: SideEffect): void {
    this.effects.push(e);
    if (e.kind === 'log') this.logs.push(e.entry);
    else if (e.kind === 'timer') this.push(e.event, e.at);
    else if (e.kind === 'dispatch') {
      const ctx = buildRenderContext(this.flow, this.execution, e.taskRun, e.task, { cipher: plainCipher });
      const answer = this.opts.worker?.(e.task, e.taskRun, ctx) ?? simulate(e.task, ctx, this.logs);
      const id = e.taskRun.id;
      // As the real worker does, so that `errorLogs()` in an error branch sees why the task failed.
      if (answer.state === 'FAILED' && answer.error)
        this.logs.push({
          executionId: this.execution.id,
          taskRunId: id,
          taskId: e.taskRun.taskId,
          attemptNumber: e.attempt,
          namespace: this.execution.namespace,
          flowId: this.execution.flowId,
          level: 'ERROR',
          message: answer.error,
          timestamp: new Date(this.now).toISOString(),
        });
      this.push({ type: 'task-started', taskRunId: id, attempt: e.attempt, workerId: 'w1' });
      this.push(
        {
          type: 'task-result',
          taskRunId: id,
          attempt: e.attempt,
          state: answer.state,
          outputs: answer.outputs,
          effects: answer.effects,
          error: answer.error,
        },
        this.now + (answer.duration ?? 0),
      );
    } else if (e.kind === 'start-subflow' && this.opts.subflow) {
      const r = this.opts.subflow(e);
      const child = `child-${e.parentTaskRunId}-${e.iteration ?? 0}`;
      this.push({
        type: 'subflow-update',
        taskRunId: e.parentTaskRunId,
        childExecutionId: child,
        state: 'RUNNING',
        iteration: e.iteration,
      });
      this.push({
        type: 'subflow-update',
        taskRunId: e.parentTaskRunId,
        childExecutionId: child,
        state: r.state,
        outputs: r.outputs,
        iteration: e.iteration,
      });
    }
  }

  /** Delivers queued events (all those due at the earliest time, in one batch) until none is left. */
  drain(): this {
    let steps = 0;
    while (this.queue.length > 0) {
      if (++steps > (this.opts.maxSteps ?? 200_000)) throw new Error('simulation does not end');
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const at = this.queue[0]!.at;
      if (this.opts.until !== undefined && at >= this.opts.until) break;
      this.now = Math.max(this.now, at);
      const batch: ExecutorEvent[] = [];
      while (this.queue.length > 0 && this.queue[0]!.at === at) batch.push(this.queue.shift()!.event);
      this.step(batch);
    }
    return this;
  }

  run(): this {
    this.push({ type: 'start' });
    return this.drain();
  }

  get state(): string {
    return this.execution.state.current;
  }

  runsOf(taskId: string): TaskRun[] {
    return this.execution.taskRuns.filter((t) => t.taskId === taskId);
  }

  run1(taskId: string): TaskRun {
    const r = this.runsOf(taskId);
    if (r.length !== 1) throw new Error(`expected one task run of ${taskId}, got ${r.length}`);
    return r[0]!;
  }
}

/** Runs a flow (its YAML source or parsed) to the end, or to `opts.until`. */
export const runFlow = (flow: Flow | string, opts: SimOptions = {}): Sim =>
  new Sim(typeof flow === 'string' ? flowFromYaml(flow) : flow, opts).run();
