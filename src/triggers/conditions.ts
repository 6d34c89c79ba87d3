/**
 * Conditions of Flow triggers, evaluated on the execution that just ended (the "upstream" execution),
 * as Kestra 0.21 does. Pure: everything comes in through the `ConditionContext`.
 *
 * A condition that cannot be evaluated (bad property, failing expression, unknown type) throws a
 * `ConditionError`; `allHold` counts it as false and reports it, as Kestra's ConditionService does.
 * `MultipleCondition` is not tested here: it needs the window state (see windows.ts, flow-trigger.ts).
 */
import { BatonError } from '../errors.ts';
import type { Execution, State } from '../execution/types.ts';
import { isTruthy, type RenderContext, renderTyped } from '../expression/index.ts';
import type { Condition, Flow } from '../flow/types.ts';
import { canonicalType } from '../tasks/registry.ts';
import { DAY_MS, dayNumber, localFields, parseTimeOfDay, parseZoned } from './dates.ts';

const C = 'io.kestra.plugin.core.condition.';
export const CONDITION = {
  executionFlow: `${C}ExecutionFlow`,
  executionNamespace: `${C}ExecutionNamespace`,
  executionStatus: `${C}ExecutionStatus`,
  executionLabels: `${C}ExecutionLabels`,
  executionOutputs: `${C}ExecutionOutputs`,
  hasRetryAttempt: `${C}HasRetryAttempt`,
  expression: `${C}Expression`,
  variable: `${C}VariableCondition`,
  flow: `${C}FlowCondition`,
  flowNamespace: `${C}FlowNamespaceCondition`,
  dayWeek: `${C}DayWeek`,
  dayWeekInMonth: `${C}DayWeekInMonth`,
  dateTimeBetween: `${C}DateTimeBetween`,
  timeBetween: `${C}TimeBetween`,
  weekend: `${C}Weekend`,
  not: `${C}Not`,
  or: `${C}Or`,
  multiple: `${C}MultipleCondition`,
} as const;

export class ConditionError extends BatonError {
  constructor(message: string) {
    super('CONDITION', message);
  }
}

export interface ConditionContext {
  /** The execution that ended (Flow triggers); absent for a schedule's tick. */
  execution?: Execution;
  /** The flow whose trigger is evaluated (the downstream flow). */
  flow: Flow;
  /** Variables of expressions: see `upstreamContext` in flow-trigger.ts. */
  variables: RenderContext;
  /** Epoch ms of the evaluation: the default `date` of date conditions. */
  now: number;
  /**
   * The default `date` of date conditions when it is not `now`: a schedule's tick as written in its
   * time zone (Kestra's default `{{ trigger.date }}`), so days are counted in that zone.
   */
  defaultDate?: string;
}

/** The upstream execution; a condition about it cannot be evaluated without one (a schedule). */
export const upstreamOf = (ctx: ConditionContext): Execution => {
  if (!ctx.execution) throw new ConditionError('this condition applies to Flow triggers only');
  return ctx.execution;
};

/** Canonical type of a condition (flows built as objects may still carry an alias). */
export const conditionType = (c: Condition): string => canonicalType(c.type) ?? c.type;

const stateList = (v: unknown, what: string): State[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new ConditionError(`${what} must be a list of states`);
  return v.map(String) as State[];
};

/** Renders a flow-authored template (never a value that came from the upstream execution). */
const render = (v: unknown, ctx: ConditionContext): unknown =>
  typeof v === 'string' ? renderTyped(v, ctx.variables) : v;

/** `in` / `notIn` as Kestra reads them: an absent list does not restrict. */
export const inNotIn = (state: State, inList?: State[], notIn?: State[]): boolean =>
  (!inList || inList.includes(state)) && !notIn?.includes(state);

const labelPairs = (v: unknown): [string, string][] => {
  if (Array.isArray(v))
    return v.map((l) => [String((l as { key: unknown }).key), String((l as { value: unknown }).value)]);
  if (v && typeof v === 'object') return Object.entries(v).map(([k, val]) => [k, String(val)]);
  throw new ConditionError('labels must be a map `key: value` or a list of `{key, value}`');
};

/** The date a date condition checks: its rendered `date`, or the evaluation time. */
const dateOf = (c: Condition, ctx: ConditionContext) => {
  const raw = c.date === undefined ? (ctx.defaultDate ?? ctx.now) : render(c.date, ctx);
  try {
    return parseZoned(raw);
  } catch (err) {
    throw new ConditionError(`date: ${(err as Error).message}`);
  }
};

const nthInMonth = (date: Date, dayOfWeek: number, which: string): boolean => {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const firstDow = new Date(Date.UTC(y, m, 1)).getUTCDay() || 7;
  const first = 1 + ((dayOfWeek - firstDow + 7) % 7);
  const daysInMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const last = first + 7 * Math.floor((daysInMonth - first) / 7);
  const target: Record<string, number> = {
    FIRST: first,
    SECOND: first + 7,
    THIRD: first + 14,
    FOURTH: first + 21,
    LAST: last,
  };
  const day = target[String(which).toUpperCase()];
  if (day === undefined)
    throw new ConditionError(`dayInMonth '${String(which)}' is not FIRST, SECOND, THIRD, FOURTH or LAST`);
  return date.getUTCDate() === day;
};

const sub = (c: Condition): Condition[] => {
  if (!Array.isArray(c.conditions) || c.conditions.length === 0)
    throw new ConditionError('conditions must be a non-empty list of conditions');
  return c.conditions as Condition[];
};

/** Whether condition `c` holds for the ended execution. Throws ConditionError when it cannot say. */
export const testCondition = (c: Condition, ctx: ConditionContext): boolean => {
  switch (conditionType(c)) {
    case CONDITION.executionFlow:
      return upstreamOf(ctx).namespace === c.namespace && upstreamOf(ctx).flowId === c.flowId;
    case CONDITION.executionNamespace: {
      const ex = upstreamOf(ctx);
      const ns = String(c.namespace);
      const comparison = c.comparison ?? (c.prefix === true ? 'PREFIX' : 'EQUALS');
      if (comparison === 'PREFIX') return ex.namespace.startsWith(ns);
      if (comparison === 'SUFFIX') return ex.namespace.endsWith(ns);
      if (comparison === 'EQUALS') return ex.namespace === ns;
      throw new ConditionError(`comparison '${String(comparison)}' is not EQUALS, PREFIX or SUFFIX`);
    }
    case CONDITION.executionStatus:
      return inNotIn(upstreamOf(ctx).state.current, stateList(c.in, 'in'), stateList(c.notIn, 'notIn'));
    case CONDITION.executionLabels:
      return labelPairs(c.labels).every(([k, v]) =>
        upstreamOf(ctx).labels.some((l) => l.key === k && l.value === String(render(v, ctx))),
      );
    case CONDITION.executionOutputs: {
      // Kestra skips the expression when the upstream execution has no flow outputs.
      const { outputs } = upstreamOf(ctx);
      if (!outputs || Object.keys(outputs).length === 0) return false;
      return isTruthy(render(c.expression, ctx));
    }
    case CONDITION.hasRetryAttempt: {
      const inList = stateList(c.in, 'in');
      const notIn = stateList(c.notIn, 'notIn');
      return upstreamOf(ctx).taskRuns.some(
        (tr) => tr.attempts.length > 1 && tr.attempts.some((a) => inNotIn(a.state.current, inList, notIn)),
      );
    }
    case CONDITION.expression:
    case CONDITION.variable:
      return isTruthy(render(c.expression, ctx));
    case CONDITION.flow:
      return ctx.flow.namespace === c.namespace && ctx.flow.id === c.flowId;
    case CONDITION.flowNamespace:
      return c.prefix === true
        ? ctx.flow.namespace.startsWith(String(c.namespace))
        : ctx.flow.namespace === c.namespace;
    case CONDITION.dayWeek:
      return localFields(dateOf(c, ctx)).dayOfWeek === dayNumber(c.dayOfWeek);
    case CONDITION.dayWeekInMonth: {
      const f = localFields(dateOf(c, ctx));
      return f.dayOfWeek === dayNumber(c.dayOfWeek) && nthInMonth(f.date, f.dayOfWeek, String(c.dayInMonth));
    }
    case CONDITION.weekend:
      return localFields(dateOf(c, ctx)).dayOfWeek >= 6;
    case CONDITION.dateTimeBetween: {
      const at = dateOf(c, ctx).epochMs;
      if (c.before !== undefined && !(at < parseZoned(render(c.before, ctx)).epochMs)) return false;
      if (c.after !== undefined && !(at > parseZoned(render(c.after, ctx)).epochMs)) return false;
      return true;
    }
    case CONDITION.timeBetween: {
      // Kestra compares OffsetTimes: both sides brought to UTC, on a 24-hour clock.
      const d = dateOf(c, ctx);
      const at = ((d.epochMs % DAY_MS) + DAY_MS) % DAY_MS;
      const norm = (v: unknown) => ((parseTimeOfDay(render(v, ctx)) % DAY_MS) + DAY_MS) % DAY_MS;
      if (c.before !== undefined && !(at < norm(c.before))) return false;
      if (c.after !== undefined && !(at > norm(c.after))) return false;
      return true;
    }
    case CONDITION.not:
      return sub(c).every((s) => !testCondition(s, ctx));
    case CONDITION.or:
      return sub(c).some((s) => testCondition(s, ctx));
    case CONDITION.multiple:
      throw new ConditionError('MultipleCondition is evaluated with its window state, not on its own');
    default:
      throw new ConditionError(`condition type '${c.type}' is not supported on Flow triggers by Baton`);
  }
};

/** Tests one condition; an error counts as false and is passed to `warn`. */
export const safeTest = (c: Condition, ctx: ConditionContext, warn: (message: string) => void): boolean => {
  try {
    return testCondition(c, ctx);
  } catch (err) {
    warn(`condition ${c.type}: ${(err as Error).message}`);
    return false;
  }
};

/**
 * Conditions a Schedule evaluates on each tick (Kestra's `ScheduleCondition`s); it ignores the others,
 * as Kestra does. PublicHoliday is not supported (no holiday calendars): it counts as false, reported.
 */
export const SCHEDULE_CONDITIONS: ReadonlySet<string> = new Set([
  CONDITION.dateTimeBetween,
  CONDITION.dayWeek,
  CONDITION.dayWeekInMonth,
  CONDITION.not,
  CONDITION.or,
  CONDITION.timeBetween,
  CONDITION.weekend,
  `${C}PublicHoliday`,
]);

/** Kestra's `ConditionService.valid`: every condition holds (errors count as false). */
export const allHold = (
  conditions: Condition[],
  ctx: ConditionContext,
  warn: (message: string) => void,
): boolean => conditions.every((c) => safeTest(c, ctx, warn));
