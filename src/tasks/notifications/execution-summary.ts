/**
 * What the *Execution notifications (SlackExecution, TeamsExecution, MailExecution) say about an
 * execution, as Kestra's: its id, namespace, flow, state, start date, duration, a link to its page and,
 * when a task failed, which. The execution is read through the task's context (its store); the link
 * needs the address users reach Baton at, `BATON_URL` (e.g. https://baton.example.com), as Kestra's
 * `kestra.url`: without it, messages carry no link.
 */
import type { Execution, State } from '../../execution/types.ts';
import type { TaskRunContext } from '../context.ts';
import { TaskError } from '../types.ts';

export interface ExecutionSummary {
  id: string;
  namespace: string;
  flowId: string;
  state: State;
  startDate: string;
  /** Human-readable (`1m 5s`): from the start to the end, or to now while it runs. */
  duration: string;
  link?: string;
  /** The first task run that failed (by task id), if any. */
  failedTask?: string;
  /** The error message of the execution, if it has one. */
  error?: string;
}

/** `executionId`'s default, Kestra's: the current execution. */
export const CURRENT_EXECUTION = '{{ execution.id }}';

/**
 * Reads the execution to report: the current one is the task's own snapshot, another is looked up.
 * A property's default is filled in after rendering, so the default arrives as its template text.
 */
export const readExecution = async (ctx: TaskRunContext, id: string | undefined): Promise<Execution> => {
  const executionId = id === undefined || id === CURRENT_EXECUTION ? ctx.execution.id : id;
  if (executionId === ctx.execution.id) return ctx.execution;
  const found = await ctx.store.getExecution(executionId);
  if (!found)
    throw new TaskError(
      `no execution ${executionId}: check executionId (in a flow started by a Flow trigger, ` +
        '`{{ trigger.executionId }}`)',
      { retryable: false },
    );
  return found;
};

export const formatDuration = (ms: number): string => {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 3 : 1).replace(/\.?0+$/, '')}s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
};

/** Where the execution's page is, when BATON_URL says where Baton is reached. */
export const executionLink = (e: Execution, base = process.env.BATON_URL): string | undefined => {
  if (!base) return undefined;
  const path = [e.namespace, e.flowId, e.id].map(encodeURIComponent).join('/');
  return `${base.replace(/\/+$/, '')}/ui/executions/${path}`;
};

export const summarise = (ctx: TaskRunContext, e: Execution, now = Date.now()): ExecutionSummary => {
  const failed = e.taskRuns.find((t) => t.state.current === 'FAILED' || t.state.current === 'KILLED');
  // Reporting its own execution from an `errors` branch: the execution still runs, but it ends FAILED
  // (errors tasks never make it succeed), which is what the message is about.
  const state: State =
    e.id === ctx.execution.id && ctx.taskRun.branch === 'errors' && failed ? 'FAILED' : e.state.current;
  const start = Date.parse(e.state.startDate);
  const end = e.state.endDate ? Date.parse(e.state.endDate) : now;
  return {
    id: e.id,
    namespace: e.namespace,
    flowId: e.flowId,
    state,
    startDate: e.state.startDate,
    duration: formatDuration(end - start),
    ...(executionLink(e) ? { link: executionLink(e) } : {}),
    ...(failed ? { failedTask: failed.taskId } : {}),
    ...(e.error ? { error: e.error } : {}),
  };
};

/** The one-line title: `[namespace] flow ➛ STATE`. */
export const titleOf = (s: ExecutionSummary): string => `[${s.namespace}] ${s.flowId} ➛ ${s.state}`;

/** Label and value pairs, in the order they are shown; `customFields` come last. */
export const factsOf = (s: ExecutionSummary, customFields?: Record<string, unknown>): [string, string][] => [
  ['Namespace', s.namespace],
  ['Flow', s.flowId],
  ['Execution ID', s.id],
  ['State', s.state],
  ['Start date', s.startDate],
  ['Duration', s.duration],
  ...(s.failedTask ? ([['Failed task', s.failedTask]] as [string, string][]) : []),
  ...(s.link ? ([['Link', s.link]] as [string, string][]) : []),
  ...Object.entries(customFields ?? {}).map(
    ([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string],
  ),
];

/** Kestra's colours: green for success, orange for warnings, red otherwise. */
export const colourOf = (state: State): 'good' | 'warning' | 'danger' =>
  state === 'SUCCESS' ? 'good' : state === 'WARNING' ? 'warning' : 'danger';

export const HEX_COLOURS = { good: '2EB886', warning: 'DAA038', danger: 'A30200' } as const;
