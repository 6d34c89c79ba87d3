/**
 * Baton's public API, for embedding the engine in a program (the package's main export):
 *
 *   await using baton = await createBaton({ data: './.baton', tasks: [greet] });
 *   await baton.deploy(readFileSync('flow.yaml', 'utf8'));
 *   const execution = await baton.run('company.team', 'hello', { inputs: { name: 'Ada' } });
 *
 * Everything else in the package is internal and may change between versions.
 */
import { BatonError } from './errors.ts';
import { type Execution, isTerminal, type Label } from './execution/types.ts';
import { formatFlowError, loadFlowSource } from './flow/index.ts';
import type { Flow, FlowError } from './flow/types.ts';
import { type Embedded, openEmbedded } from './runtime/embedded.ts';
import { waitForExecution } from './runtime/wait.ts';
import { openExecution } from './secrets/seal.ts';
import type { StoredLog } from './store/types.ts';
import type { TaskRunContext } from './tasks/context.ts';
import { builtinTasks, type TaskRegistry } from './tasks/registry.ts';
import type { RunnerLoader } from './tasks/runners.ts';
import type { TaskDefinition, TaskResult } from './tasks/types.ts';

export { BatonError, type ErrorCode, EXIT, UsageError } from './errors.ts';
export type { Execution, Label, LogEntry, State, TaskRun } from './execution/types.ts';
export { FlowDisabledError, InputError } from './executor/create.ts';
export { FlowNotFoundError } from './executor/flows.ts';
export { ExpressionError } from './expression/errors.ts';
export type { Flow, FlowError } from './flow/types.ts';
export type { TaskRunContext } from './tasks/context.ts';
export { TaskError, type TaskLogger, type TaskResult } from './tasks/types.ts';

/** A flow document that does not validate; `errors` has every problem with its file, line and column. */
export class FlowValidationError extends BatonError {
  readonly errors: FlowError[];
  constructor(errors: FlowError[]) {
    super('INVALID_FLOW', errors.map(formatFlowError).join('\n'));
    this.errors = errors;
  }
}

/**
 * A task type written in TypeScript. `properties` is the JSON Schema of its properties (TypeBox's
 * `Type.Object({...})` or a plain object); string values are rendered as templates before `run` sees
 * them unless a property's schema says `dynamic: false`.
 */
export interface CustomTaskType<Props = Record<string, unknown>> {
  /** The type name flows use, e.g. `com.acme.Greet`. */
  type: string;
  title?: string;
  description?: string;
  /** A YAML example of a task of this type, for `docs`. */
  example?: string;
  properties: object;
  run(ctx: TaskRunContext, props: Props): Promise<TaskResult> | TaskResult;
}

/** Types `run`'s props for TypeScript; returns the task type unchanged. */
export const defineTask = <Props = Record<string, unknown>>(
  task: CustomTaskType<Props>,
): CustomTaskType<Props> => task;

export interface BatonOptions {
  /** Data folder: database, internal storage, encryption key. Created (private) when missing. */
  data: string;
  /** Custom task types available to this engine's flows (and only to them). */
  tasks?: CustomTaskType<never>[];
  /** How many runnable tasks run at once (default: the worker's default). */
  workerSlots?: number;
  /** SQLite durability: NORMAL (default) survives a process crash, FULL a power loss too. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Whose `ENV_` variables this engine's flows read as `envs` (default: `process.env` when it starts). */
  env?: Record<string, string | undefined>;
}

export interface RunOptions {
  inputs?: Record<string, unknown>;
  labels?: Label[];
}

export interface Baton extends AsyncDisposable {
  /** Validates and stores a flow (a new revision); throws FlowValidationError listing every problem. */
  deploy(source: string, file?: string): Promise<{ namespace: string; id: string; revision: number }>;
  /** Creates an execution of a deployed flow and returns at once (state CREATED). */
  start(namespace: string, flowId: string, opts?: RunOptions): Promise<Execution>;
  /** Creates an execution and waits for its end. */
  run(namespace: string, flowId: string, opts?: RunOptions): Promise<Execution>;
  /** Waits until the execution has ended (and its afterExecution tasks too). */
  wait(executionId: string): Promise<Execution>;
  execution(executionId: string): Promise<Execution | undefined>;
  logs(executionId: string): Promise<StoredLog[]>;
  /** Validates a flow against this engine's task types; an empty list when it is valid. */
  validate(source: string, file?: string): FlowError[];
  /** Stops the engine: running tasks are released to the next start, nothing is lost. */
  stop(): Promise<void>;
}

const customDefinition = (t: CustomTaskType<never>): TaskDefinition => {
  const schema = t.properties as { properties?: Record<string, Record<string, unknown>> };
  // Strings are templates unless the author said otherwise, as for most of Kestra's properties.
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([k, v]) => [k, { dynamic: true, ...v }]),
  );
  return {
    type: t.type,
    kind: 'runnable',
    title: t.title ?? t.type,
    description: t.description ?? '',
    example: t.example ?? `id: example\ntype: ${t.type}\n`,
    properties: { ...schema, properties } as unknown as TaskDefinition['properties'],
  };
};

/** The task types of an engine: the built-in ones and its own. */
const registryFor = (tasks: readonly CustomTaskType<never>[]): TaskRegistry =>
  builtinTasks.with(tasks.map(customDefinition));

/** Validates a flow document against the built-in task types (or an engine's, with `baton.validate`). */
export const validateFlow = (source: string, file = 'flow.yaml'): FlowError[] =>
  loadFlowSource(source, file).errors;

/** Parses and validates a flow document; throws FlowValidationError when it is invalid. */
export const loadFlow = (source: string, file = 'flow.yaml'): Flow => {
  const { flow, errors } = loadFlowSource(source, file);
  if (!flow) throw new FlowValidationError(errors);
  return flow;
};

/** Opens an engine (executor and worker in this process) on a data folder. */
export const createBaton = async (opts: BatonOptions): Promise<Baton> => {
  const tasks = opts.tasks ?? [];
  const registry = registryFor(tasks);
  const runners: Record<string, RunnerLoader> = {};
  for (const t of tasks) {
    const run = async (ctx: TaskRunContext, props: never) => t.run(ctx, props);
    runners[t.type] = async () => ({ run });
  }
  const engine: Embedded = await openEmbedded({
    dataDir: opts.data,
    synchronous: opts.synchronous,
    workerSlots: opts.workerSlots,
    registry,
    runners,
    env: opts.env,
  });
  const settled = (e: Execution) =>
    isTerminal(e.state.current) && e.taskRuns.every((t) => isTerminal(t.state.current));
  let stopped: Promise<void> | undefined;
  const baton: Baton = {
    async deploy(source, file = 'flow.yaml') {
      const { flow, errors } = loadFlowSource(source, file, { registry });
      if (!flow) throw new FlowValidationError(errors);
      const stored = await engine.store.saveFlow(flow.namespace, flow.id, source);
      return { namespace: flow.namespace, id: flow.id, revision: stored.revision };
    },
    async start(namespace, flowId, runOpts = {}) {
      const flow = await engine.flows.get(namespace, flowId);
      const created = await engine.executor.createExecution({
        flow,
        revision: flow.revision ?? 1,
        inputs: runOpts.inputs,
        labels: runOpts.labels,
      });
      return openExecution(created, engine.cipher);
    },
    async run(namespace, flowId, runOpts) {
      const created = await baton.start(namespace, flowId, runOpts);
      return baton.wait(created.id);
    },
    // The program that runs the engine holds its key: it gets SECRET inputs and outputs, and outputs
    // carrying a secret, decrypted (displays mask them; see src/secrets/seal.ts).
    wait: async (id) => openExecution(await waitForExecution(engine.executor, id, settled), engine.cipher),
    execution: async (id) => {
      const e = await engine.executor.getExecution(id);
      return e && openExecution(e, engine.cipher);
    },
    logs: (id) => engine.store.queryLogs({ executionId: id }),
    validate: (source, file = 'flow.yaml') => loadFlowSource(source, file, { registry }).errors,
    stop() {
      stopped ??= engine.close();
      return stopped;
    },
    [Symbol.asyncDispose]() {
      return baton.stop();
    },
  };
  return baton;
};
