/**
 * Kestra's flow search: the legacy query parameters (`q`, `namespace` with its sub-namespaces, `labels`
 * as `key:value`) and the newer `filters[field][operation]=value` form for the same fields; paging with
 * `page` from 1 and `size`; `sort` as `field:asc|desc`.
 */
import type { StoredFlow } from '../../store/types.ts';
import { HttpError } from '../errors.ts';
import { descriptionOf, labelsOfStored } from './model.ts';

export interface FlowQuery {
  q?: string;
  namespace?: string;
  labels?: string[];
  /** Every other query parameter (the `filters[...]` ones are read from here). */
  [key: string]: unknown;
}

type Predicate = (flow: StoredFlow) => boolean;

const inNamespace = (prefix: string) => (ns: string) => ns === prefix || ns.startsWith(`${prefix}.`);

const textMatches = (text: string) => {
  const needle = text.toLowerCase();
  return (flow: StoredFlow) =>
    flow.id.toLowerCase().includes(needle) ||
    flow.namespace.toLowerCase().includes(needle) ||
    descriptionOf(flow).toLowerCase().includes(needle);
};

const hasLabel = (key: string, value: string) => (flow: StoredFlow) =>
  labelsOfStored(flow).some((l) => l.key === key && l.value === value);

const parseLabel = (text: string): [string, string] => {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new HttpError(400, `labels: '${text}' must be written key:value`);
  return [text.slice(0, colon), text.slice(colon + 1)];
};

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

/** `filters[namespace][PREFIX]=company`, `filters[q][EQUALS]=text`, `filters[labels][EQUALS][key]=value`. */
const FILTER = /^filters\[(\w+)\]\[(\w+)\](?:\[([^\]]+)\])?$/;

const namespaceFilter = (operation: string, values: string[]): Predicate => {
  const ops: Record<string, (ns: string, v: string) => boolean> = {
    EQUALS: (ns, v) => ns === v,
    NOT_EQUALS: (ns, v) => ns !== v,
    PREFIX: (ns, v) => inNamespace(v)(ns),
    STARTS_WITH: (ns, v) => ns.startsWith(v),
    ENDS_WITH: (ns, v) => ns.endsWith(v),
    CONTAINS: (ns, v) => ns.includes(v),
    IN: (ns, v) => v.split(',').includes(ns),
  };
  const op = ops[operation];
  if (!op) throw new HttpError(400, `filters[namespace]: unknown operation ${operation}`);
  return (flow) => values.every((v) => op(flow.namespace, v));
};

const filterPredicates = (query: FlowQuery): Predicate[] => {
  const out: Predicate[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const m = FILTER.exec(key);
    if (!m) continue;
    const [, field, operation = '', sub] = m;
    const values = asList(raw);
    if (field === 'q' || field === 'query') out.push(...values.map(textMatches));
    else if (field === 'namespace') out.push(namespaceFilter(operation, values));
    else if (field === 'labels') {
      const pairs = sub ? values.map((v) => [sub, v] as [string, string]) : values.map(parseLabel);
      const all = (flow: StoredFlow) => pairs.every(([k, v]) => hasLabel(k, v)(flow));
      out.push(operation === 'NOT_EQUALS' ? (flow) => !all(flow) : all);
    } else if (field === 'flowId' || field === 'id')
      out.push(...values.map((v) => (flow: StoredFlow) => flow.id === v));
    else throw new HttpError(400, `filters[${field}]: flows cannot be filtered on ${field}`);
  }
  return out;
};

/** Every predicate the query asks for (an empty query matches every flow). */
export const flowFilter = (query: FlowQuery): Predicate => {
  const predicates = filterPredicates(query);
  if (query.q) predicates.push(textMatches(query.q));
  if (query.namespace) {
    const within = inNamespace(query.namespace);
    predicates.push((flow) => within(flow.namespace));
  }
  for (const [key, value] of asList(query.labels).map(parseLabel)) predicates.push(hasLabel(key, value));
  return (flow) => predicates.every((p) => p(flow));
};

const SORTABLE: Record<string, (f: StoredFlow) => string | number> = {
  id: (f) => f.id,
  namespace: (f) => f.namespace,
  revision: (f) => f.revision,
  updated: (f) => f.createdAt,
};

/** Sorts by `field:asc|desc` entries (Kestra's `sort`), then by namespace and id. */
export const sortFlows = (flows: StoredFlow[], sort: string[]): StoredFlow[] => {
  const keys = sort.map((s) => {
    const [field = '', direction = 'asc'] = s.split(':');
    const get = SORTABLE[field];
    if (!get)
      throw new HttpError(400, `sort: cannot sort flows by '${field}' (${Object.keys(SORTABLE).join(', ')})`);
    if (direction !== 'asc' && direction !== 'desc')
      throw new HttpError(400, `sort: direction must be asc or desc, not '${direction}'`);
    return { get, sign: direction === 'asc' ? 1 : -1 };
  });
  keys.push({ get: SORTABLE.namespace!, sign: 1 }, { get: SORTABLE.id!, sign: 1 });
  return [...flows].sort((a, b) => {
    for (const { get, sign } of keys) {
      const x = get(a);
      const y = get(b);
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  });
};

export const page = <T>(items: T[], pageNumber: number, size: number): T[] =>
  items.slice((pageNumber - 1) * size, pageNumber * size);

export const sortList = (v: unknown): string[] =>
  asList(v)
    .flatMap((s) => s.split(','))
    .filter(Boolean);
