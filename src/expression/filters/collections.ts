/** Filters on lists and maps (and their string counterparts: length, first, last, reverse, slice). */
import { arg, type FilterFn, requiredArg } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { asList, compare, deepEqual, isMap, toInt, toStr, typeName } from '../values.ts';

const map = (v: unknown, what: string): Record<string, unknown> => {
  if (isMap(v)) return v;
  throw new ExpressionError(`${what} expects a map, got ${typeName(v)}`);
};

function length(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  return toStr(v).length;
}

function edge(v: unknown, last: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return last ? v.slice(-1) : v.slice(0, 1);
  if (Array.isArray(v)) return (last ? v[v.length - 1] : v[0]) ?? null;
  if (isMap(v)) {
    const vals = Object.values(v);
    return (last ? vals[vals.length - 1] : vals[0]) ?? null;
  }
  throw new ExpressionError(`${last ? 'last' : 'first'} expects a list or a string, got ${typeName(v)}`);
}

function slice(v: unknown, a: Parameters<FilterFn>[1]): unknown {
  const n = typeof v === 'string' ? v.length : asList(v, 'slice').length;
  const from = toInt(arg(a, 0, 'fromIndex', 0), 'slice');
  const to = toInt(arg(a, 1, 'toIndex', n), 'slice');
  if (from < 0 || to > n || from > to)
    throw new ExpressionError(`slice: indexes ${from}..${to} out of bounds for length ${n}`);
  return (v as string | unknown[]).slice(from, to);
}

function flatten(list: unknown[]): unknown[] {
  return list.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

function isEmpty(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (isMap(v) && Object.keys(v).length === 0)
  );
}

export const COLLECTION_FILTERS: Record<string, FilterFn> = {
  keys: (v) => Object.keys(map(v, 'keys')),
  values: (v) => Object.values(map(v, 'values')),
  length,
  size: length,
  first: (v) => edge(v, false),
  last: (v) => edge(v, true),
  slice,
  sort: (v) => [...asList(v, 'sort')].sort(compare),
  rsort: (v) => [...asList(v, 'rsort')].sort((x, y) => compare(y, x)),
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...asList(v, 'reverse')].reverse()),
  flatten: (v) => flatten(asList(v, 'flatten')),
  chunk: (v, a) => {
    const list = asList(v, 'chunk');
    const size = toInt(requiredArg(a, 0, 'size', 'chunk'), 'chunk');
    if (size <= 0) throw new ExpressionError('chunk: size must be positive');
    const out: unknown[][] = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return out;
  },
  merge: (v, a) => {
    const other = requiredArg(a, 0, 'items', 'merge');
    if (Array.isArray(v)) return Array.isArray(other) ? [...v, ...other] : [...v, other];
    if (isMap(v) && isMap(other)) return { ...v, ...other };
    throw new ExpressionError(
      `merge expects two lists or two maps, got ${typeName(v)} and ${typeName(other)}`,
    );
  },
  distinct: (v) => {
    const out: unknown[] = [];
    for (const x of asList(v, 'distinct')) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  },
  join: (v, a) => {
    if (v === null || v === undefined) return null;
    const sep = toStr(arg(a, 0, 'separator', ''));
    return asList(v, 'join').map(toStr).join(sep);
  },
  default: (v, a) => (isEmpty(v) ? (arg(a, 0, 'default') ?? null) : v),
};
