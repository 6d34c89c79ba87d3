/**
 * "Multiple" conditions of a Flow trigger: named sub-conditions that must each have been met by some
 * execution within one time window. Two forms exist in Kestra 0.21, read here into one `MultipleSpec`:
 * - the legacy `MultipleCondition` among the trigger's `conditions` (`conditions` map, `window` /
 *   `windowAdvance` or `timeWindow`);
 * - the trigger's `preconditions` (`flows` and `where` filters, `timeWindow`), whose sub-conditions are
 *   named `condition_1`, `condition_2`... (flows first, then `condition_<n>_<filter id>`) as Kestra names
 *   them.
 * Pure.
 */

import type { State } from '../execution/types.ts';
import { renderTyped } from '../expression/index.ts';
import type { Condition, Trigger } from '../flow/types.ts';
import {
  CONDITION,
  type ConditionContext,
  ConditionError,
  conditionType,
  inNotIn,
  safeTest,
  upstreamOf,
} from './conditions.ts';

export type TimeWindowType =
  | 'DURATION_WINDOW'
  | 'SLIDING_WINDOW'
  | 'DAILY_TIME_WINDOW'
  | 'DAILY_TIME_DEADLINE';

export interface TimeWindowSpec {
  type: TimeWindowType;
  window?: string;
  windowAdvance?: string;
  startTime?: string;
  endTime?: string;
  deadline?: string;
}

export type SubCondition = (ctx: ConditionContext, warn: (message: string) => void) => boolean;

export interface MultipleSpec {
  /** Id of the window state within the trigger. */
  id: string;
  timeWindow: TimeWindowSpec;
  /** Forget the met sub-conditions once all were met (default true). */
  resetOnSuccess: boolean;
  conditions: Record<string, SubCondition>;
}

/** Window id of `preconditions` written without an `id`. */
export const DEFAULT_PRECONDITIONS_ID = 'preconditions';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const timeWindowOf = (tw: unknown): TimeWindowSpec => {
  if (!isObject(tw)) return { type: 'DURATION_WINDOW' };
  return { ...(tw as Partial<TimeWindowSpec>), type: (tw.type as TimeWindowType) ?? 'DURATION_WINDOW' };
};

/** Kestra's TruthUtils on a rendered string: null, "", "false", "0" and "-0" are false. */
const truthyString = (v: unknown): boolean =>
  v !== null && v !== undefined && !['', 'false', '0', '-0'].includes(String(v).trim().toLowerCase());

interface Filter {
  field?: string;
  type?: string;
  value?: string;
  values?: string[];
}

const filterHolds = (f: Filter, ctx: ConditionContext): boolean => {
  const ex = upstreamOf(ctx);
  const field = (): string | null => {
    switch (f.field) {
      case 'FLOW_ID':
        return ex.flowId;
      case 'NAMESPACE':
        return ex.namespace;
      case 'STATE':
        return ex.state.current;
      case 'EXPRESSION': {
        // The expression is the filter's own `value` (flow-authored), rendered with the upstream context.
        const r = renderTyped(String(f.value ?? ''), ctx.variables);
        return r === null || r === undefined ? null : String(r);
      }
      default:
        throw new ConditionError(
          `filter field '${String(f.field)}' is not FLOW_ID, NAMESPACE, STATE or EXPRESSION`,
        );
    }
  };
  const v = field();
  const value = f.value ?? '';
  const values = f.values ?? [];
  switch (f.type) {
    case 'EQUAL_TO':
      return value === v;
    case 'NOT_EQUAL_TO':
      return value !== v;
    case 'IN':
      return v !== null && values.includes(v);
    case 'NOT_IN':
      return v === null || !values.includes(v);
    case 'IS_TRUE':
      return truthyString(v);
    case 'IS_FALSE':
      return !truthyString(v);
    case 'IS_NULL':
      return v === null;
    case 'IS_NOT_NULL':
      return v !== null;
    case 'STARTS_WITH':
    case 'PREFIX':
      return v?.startsWith(value) === true;
    case 'ENDS_WITH':
      return v?.endsWith(value) === true;
    case 'REGEX':
      // Java's String.matches: the whole value must match.
      return v !== null && new RegExp(`^(?:${value})$`).test(v);
    case 'CONTAINS':
      return v?.includes(value) === true;
    default:
      throw new ConditionError(`filter type '${String(f.type)}' is not supported`);
  }
};

const guarded =
  (what: string, test: (ctx: ConditionContext) => boolean): SubCondition =>
  (ctx, warn) => {
    try {
      return test(ctx);
    } catch (err) {
      warn(`${what}: ${(err as Error).message}`);
      return false;
    }
  };

/** The `preconditions` of a Flow trigger as a MultipleSpec, or undefined when it has none. */
export const preconditionsSpec = (trigger: Trigger): MultipleSpec | undefined => {
  const p = trigger.preconditions;
  if (!isObject(p)) return undefined;
  const conditions: Record<string, SubCondition> = {};
  let n = 0;
  for (const upstream of Array.isArray(p.flows) ? p.flows : []) {
    const u = upstream as {
      namespace?: string;
      flowId?: string;
      states?: State[];
      labels?: Record<string, unknown>;
    };
    conditions[`condition_${++n}`] = guarded(`preconditions.flows[${n - 1}]`, (ctx) => {
      const ex = upstreamOf(ctx);
      if (u.namespace !== undefined && ex.namespace !== u.namespace) return false;
      if (u.flowId !== undefined && ex.flowId !== u.flowId) return false;
      if (u.states && !inNotIn(ex.state.current, u.states)) return false;
      return Object.entries(u.labels ?? {}).every(([k, v]) =>
        ex.labels.some((l) => l.key === k && l.value === String(v)),
      );
    });
  }
  for (const where of Array.isArray(p.where) ? p.where : []) {
    const w = where as { id?: string; operand?: string; filters?: Filter[] };
    const filters = w.filters ?? [];
    conditions[`condition_${++n}_${w.id}`] = guarded(`preconditions.where ${w.id}`, (ctx) =>
      w.operand === 'OR'
        ? filters.some((f) => filterHolds(f, ctx))
        : filters.every((f) => filterHolds(f, ctx)),
    );
  }
  return {
    id: typeof p.id === 'string' ? p.id : DEFAULT_PRECONDITIONS_ID,
    timeWindow: timeWindowOf(p.timeWindow),
    resetOnSuccess: p.resetOnSuccess !== false,
    conditions,
  };
};

/** A legacy `MultipleCondition` as a MultipleSpec. */
export const multipleConditionSpec = (c: Condition): MultipleSpec => {
  const conditions: Record<string, SubCondition> = {};
  for (const [name, sub] of Object.entries(isObject(c.conditions) ? c.conditions : {}))
    conditions[name] = (ctx, warn) => safeTest(sub as Condition, ctx, warn);
  const timeWindow: TimeWindowSpec = isObject(c.timeWindow)
    ? timeWindowOf(c.timeWindow)
    : {
        type: 'DURATION_WINDOW',
        ...(c.window !== undefined ? { window: String(c.window) } : {}),
        ...(c.windowAdvance !== undefined ? { windowAdvance: String(c.windowAdvance) } : {}),
      };
  return {
    id: String(c.id ?? 'multiple'),
    timeWindow,
    resetOnSuccess: c.resetOnSuccess !== false,
    conditions,
  };
};

export const isMultiple = (c: Condition): boolean => conditionType(c) === CONDITION.multiple;

/** Every MultipleSpec of a trigger: its MultipleConditions, then its preconditions. */
export const multipleSpecsOf = (trigger: Trigger): MultipleSpec[] => {
  const specs = (trigger.conditions ?? []).filter(isMultiple).map(multipleConditionSpec);
  const pre = preconditionsSpec(trigger);
  return pre ? [...specs, pre] : specs;
};
