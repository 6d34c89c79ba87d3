/**
 * Flows as the API shows them (Kestra's flow JSON) and checks of posted flow sources.
 *
 * The JSON is the flow as written (not with plugin defaults applied), labels as a key/value list, plus
 * `revision`, `disabled`, `deleted` and, when asked, `source` (Kestra's FlowWithSource).
 */
import { parse } from 'yaml';
import { flowLabels } from '../../executor/create.ts';
import type { YamlDocument } from '../../flow/documents.ts';
import { type Flow, type FlowError, loadFlowSource } from '../../flow/index.ts';
import type { StoredFlow } from '../../store/types.ts';
import { HttpError } from '../errors.ts';

export type FlowJson = Record<string, unknown> & {
  id: string;
  namespace: string;
  revision: number;
  disabled: boolean;
  deleted: boolean;
  labels?: { key: string; value: string }[];
  source?: string;
};

/**
 * Parsed revisions, by namespace, id and revision: a revision never changes, and a search parses every
 * flow of the page. Bounded so that a server with many flows does not keep every revision in memory.
 */
const PARSED_MAX = 2_000;
const parsed = new Map<string, Record<string, unknown>>();

const parseStored = (stored: StoredFlow): Record<string, unknown> => {
  const key = `${stored.namespace}\u0000${stored.id}\u0000${stored.revision}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  let value: unknown;
  try {
    value = parse(stored.source);
  } catch {
    value = undefined;
  }
  const doc = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(key, doc as Record<string, unknown>);
  return doc as Record<string, unknown>;
};

export const flowJson = (stored: StoredFlow, opts: { source?: boolean } = {}): FlowJson => {
  const doc = parseStored(stored);
  const { id: _id, namespace: _ns, revision: _rev, labels: _labels, disabled, deleted: _d, ...rest } = doc;
  const labels = flowLabels(doc as unknown as Flow);
  return {
    id: stored.id,
    namespace: stored.namespace,
    revision: stored.revision,
    ...rest,
    ...(labels.length > 0 ? { labels } : {}),
    disabled: disabled === true,
    deleted: stored.deleted,
    ...(opts.source ? { source: stored.source } : {}),
  };
};

/** Whether the stored revision says `disabled: true`. */
export const isDisabled = (stored: StoredFlow): boolean => parseStored(stored).disabled === true;

/** One problem of a posted flow, located in the posted text. */
export interface FlowProblem {
  line: number;
  column: number;
  /** The property: `tasks[0].type`; empty for the whole document. */
  path: string;
  message: string;
}

export const problemOf = (e: FlowError, lineOffset = 0): FlowProblem => ({
  line: e.line + lineOffset,
  column: e.column,
  path: e.path,
  message: e.message,
});

/** `line 4, tasks[0].type: Invalid type: ...`: how a problem reads in a message. */
export const describeProblem = (p: FlowProblem): string =>
  `line ${p.line}, ${p.path ? `${p.path}: ` : ''}${p.message}`;

export type CheckedFlow = { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] };

/** Parses and validates a posted flow; line numbers are offset to the document's place in the body. */
export const checkFlow = (doc: YamlDocument | string): CheckedFlow => {
  const { source, line } = typeof doc === 'string' ? { source: doc, line: 1 } : doc;
  const { flow, errors } = loadFlowSource(source, 'flow');
  if (flow) return { ok: true, flow };
  return { ok: false, problems: errors.map((e) => problemOf(e, line - 1)) };
};

/** The 422 answer for an invalid flow: every problem in the message and, located, in `details`. */
export const invalidFlow = (problems: FlowProblem[], what = 'flow'): HttpError =>
  new HttpError(422, `Invalid ${what}: ${problems.map(describeProblem).join('; ')}`, {
    code: 'INVALID_FLOW',
    details: { errors: problems },
  });

/** Parses and validates, or throws the 422 answer. */
export const flowOrThrow = (doc: YamlDocument | string, what?: string): Flow => {
  const checked = checkFlow(doc);
  if (!checked.ok) throw invalidFlow(checked.problems, what);
  return checked.flow;
};

/**
 * The source with top-level `disabled` set, as Kestra does it: an existing `disabled: true|false` line
 * is rewritten, else the property is appended. The rest of the text is kept as written.
 */
export const withDisabled = (source: string, disabled: boolean): string => {
  const existing = /^disabled[ \t]*:[ \t]*(true|false)[ \t]*(#.*)?$/m;
  if (existing.test(source)) return source.replace(existing, `disabled: ${disabled}`);
  return `${source}${source.endsWith('\n') || source === '' ? '' : '\n'}disabled: ${disabled}\n`;
};

/** Flow labels as a key/value list (for filters). */
export const labelsOfStored = (stored: StoredFlow): { key: string; value: string }[] =>
  flowLabels(parseStored(stored) as unknown as Flow);

/** The description of a stored flow, for full-text search. */
export const descriptionOf = (stored: StoredFlow): string => {
  const d = parseStored(stored).description;
  return typeof d === 'string' ? d : '';
};
