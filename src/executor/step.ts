/**
 * One reducer step: a working copy of the execution and its task-run index, the side effects decided so
 * far, and the bookkeeping of which flowable task runs must be looked at again.
 */
import type { Execution, LogLevel, LoopItem, State, TaskRun } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';
import type { RenderContext, RenderOptions } from '../expression/index.ts';
import type { Flow, Task } from '../flow/types.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import { withSecrets } from '../secrets/seal.ts';
import { buildRenderContext } from './context.ts';
import { ROOT, type RunIndex } from './run-index.ts';
import { iso, newStateHistory, withLast, withState } from './state.ts';
import { findTaskInFlow, isExecutorTask } from './tasks.ts';
import type { ReduceInput, SideEffect } from './types.ts';

export class Step {
  readonly flow: Flow;
  readonly now: number;
  readonly newId: () => string;
  /** The engine's key (see ReduceInput): the step reads no process-wide one. */
  readonly cipher: SecretCipher;
  readonly envs: Readonly<Record<string, string>>;
  readonly idx: RunIndex;
  exec: Execution;
  readonly effects: SideEffect[] = [];
  readonly changed = new Map<string, TaskRun>();
  /** Parents (task run ids, or ROOT) whose children changed and must be resolved again. */
  readonly dirty = new Set<string>();
  /**
   * Ids of the children written in this step, by parent task run id, for handlers that react to each
   * change rather than rescan their children (Loop): such a handler takes its list with `takeChanged`.
   */
  private readonly changedChildren = new Map<string, string[]>();

  constructor(input: ReduceInput, idx: RunIndex) {
    this.flow = input.flow;
    this.now = input.now;
    this.newId = input.newId;
    this.cipher = input.cipher;
    this.envs = input.envs;
    this.idx = idx;
    this.exec = input.execution;
  }

  task(tr: TaskRun): Task | undefined {
    return findTaskInFlow(this.flow, tr.taskId);
  }

  get(id: string): TaskRun | undefined {
    return this.idx.get(id);
  }

  /** Writes a task run and marks what depends on it for re-resolution. */
  put(tr: TaskRun, notifyParent = true): TaskRun {
    this.idx.put(tr);
    this.changed.set(tr.id, tr);
    if (tr.parentTaskRunId) {
      const list = this.changedChildren.get(tr.parentTaskRunId);
      if (list) list.push(tr.id);
      else this.changedChildren.set(tr.parentTaskRunId, [tr.id]);
    }
    if (notifyParent) this.dirty.add(tr.parentTaskRunId ?? ROOT);
    if (this.idx.activeFlowables.has(tr.id)) this.dirty.add(tr.id);
    return tr;
  }

  /** The children of `parentId` written since the last call (in this step), in write order. */
  takeChanged(parentId: string): string[] {
    const list = this.changedChildren.get(parentId) ?? [];
    this.changedChildren.delete(parentId);
    return list;
  }

  setState(tr: TaskRun, state: State, patch: Partial<TaskRun> = {}): TaskRun {
    const next: TaskRun = { ...tr, ...patch, state: withState(tr.state, state, this.now) };
    // The current attempt ends with its task run.
    if (isTerminal(state) && next.attempts.length > 0) {
      const last = next.attempts[next.attempts.length - 1]!;
      if (!isTerminal(last.state.current)) {
        next.attempts = withLast(next.attempts, { ...last, state: withState(last.state, state, this.now) });
      }
    }
    return this.put(next);
  }

  /** Remembers secrets (encrypted values) a task obtained: masked from now on, and sealed where stored. */
  rememberSecrets(sealed: readonly string[] | undefined): void {
    const secrets = withSecrets(this.flow, this.exec, sealed, this.cipher);
    if (secrets !== this.exec.secrets) this.exec = { ...this.exec, secrets };
  }

  setExecState(state: State): void {
    if (this.exec.state.current === state) return;
    this.exec = { ...this.exec, state: withState(this.exec.state, state, this.now) };
  }

  /** Creates a task run for `task` under `parent` (undefined: flow level). */
  create(
    task: Task,
    parent: TaskRun | undefined,
    opts: {
      value?: string;
      iteration?: number;
      loopItem?: LoopItem;
      branch?: TaskRun['branch'];
      state?: State;
    } = {},
  ): TaskRun {
    const flowable = isExecutorTask(task);
    const state = opts.state ?? (flowable ? 'RUNNING' : 'CREATED');
    const tr: TaskRun = {
      id: this.newId(),
      executionId: this.exec.id,
      namespace: this.exec.namespace,
      flowId: this.exec.flowId,
      taskId: task.id,
      attempts: [],
      state: newStateHistory(state, this.now),
    };
    if (parent) tr.parentTaskRunId = parent.id;
    if (opts.value !== undefined) tr.value = opts.value;
    if (opts.iteration !== undefined) tr.iteration = opts.iteration;
    if (opts.loopItem) tr.loopItem = opts.loopItem;
    if (opts.branch) tr.branch = opts.branch;
    if (flowable && !isTerminal(state)) tr.attempts = [{ state: newStateHistory('RUNNING', this.now) }];
    // The parent creating a child that has not ended needs no second look (it is resolving right now);
    // a child that ended at once (runIf, a flowable failing at start) does notify it.
    return this.put(tr, isTerminal(state));
  }

  effect(e: SideEffect): void {
    this.effects.push(e);
  }

  log(level: LogLevel, message: string, tr?: TaskRun): void {
    this.effects.push({
      kind: 'log',
      entry: {
        executionId: this.exec.id,
        namespace: this.exec.namespace,
        flowId: this.exec.flowId,
        level,
        message,
        timestamp: iso(this.now),
        ...(tr
          ? { taskRunId: tr.id, taskId: tr.taskId, attemptNumber: Math.max(1, tr.attempts.length) }
          : {}),
      },
    });
  }

  /**
   * Options for every render of this step: `now()` is the step's clock, not the wall clock, so that
   * `reduce` stays pure (a runIf, If, Switch or SLA written with `now()` decides the same way on replay).
   */
  get renderOptions(): RenderOptions {
    this.#renderOptions ??= { services: { now: () => new Date(this.now) } };
    return this.#renderOptions;
  }
  #renderOptions?: RenderOptions;

  context(tr?: TaskRun, task?: Task): RenderContext {
    return buildRenderContext(this.flow, { ...this.exec, taskRuns: this.idx.runs }, tr, task, {
      index: this.idx,
      cipher: this.cipher,
      envs: this.envs,
    });
  }

  /** The working execution with its current task runs. */
  execution(): Execution {
    return { ...this.exec, taskRuns: this.idx.runs };
  }
}
