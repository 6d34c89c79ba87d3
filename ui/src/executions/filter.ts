/**
 * The executions list's filters, kept in the page's URL (a filtered list can be bookmarked and shared)
 * and sent as the search's query parameters (the same ones the bulk `by-query` actions take).
 */
import type { StateType } from '../api/types.ts';

export interface ExecutionFilters {
  namespace?: string;
  flowId?: string;
  states: StateType[];
  /** `key:value` each. */
  labels: string[];
  /** An ISO-8601 duration before now (`PT1H`), or empty for any time. */
  timeRange?: string;
  page: number;
}

export const STATE_CHOICES: readonly StateType[] = [
  'CREATED',
  'RUNNING',
  'PAUSED',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
];

export const TIME_RANGES: readonly { value: string; label: string }[] = [
  { value: '', label: 'Any time' },
  { value: 'PT5M', label: 'Last 5 minutes' },
  { value: 'PT1H', label: 'Last hour' },
  { value: 'P1D', label: 'Last 24 hours' },
  { value: 'P7D', label: 'Last 7 days' },
  { value: 'P30D', label: 'Last 30 days' },
];

const nonEmpty = (v: string | null): string | undefined => (v?.trim() ? v.trim() : undefined);

/** The filters a page URL's query holds; unknown states and malformed labels are dropped. */
export const filtersFromParams = (params: URLSearchParams): ExecutionFilters => ({
  namespace: nonEmpty(params.get('namespace')),
  flowId: nonEmpty(params.get('flowId')),
  states: params.getAll('state').filter((s): s is StateType => (STATE_CHOICES as string[]).includes(s)),
  labels: params.getAll('labels').filter(isLabel),
  timeRange: nonEmpty(params.get('timeRange')),
  page: Math.max(1, Math.floor(Number(params.get('page') ?? 1)) || 1),
});

/** The page URL's query for the filters (the first page and empty filters left out). */
export const paramsFromFilters = (f: ExecutionFilters): URLSearchParams => {
  const params = new URLSearchParams();
  if (f.namespace) params.set('namespace', f.namespace);
  if (f.flowId) params.set('flowId', f.flowId);
  for (const s of f.states) params.append('state', s);
  for (const l of f.labels) params.append('labels', l);
  if (f.timeRange) params.set('timeRange', f.timeRange);
  if (f.page > 1) params.set('page', String(f.page));
  return params;
};

/** The search's (and the bulk actions') query parameters for the filters, without paging. */
export const apiQuery = (f: ExecutionFilters): Record<string, string | string[] | undefined> => ({
  namespace: f.namespace,
  flowId: f.flowId,
  state: f.states.length > 0 ? f.states : undefined,
  labels: f.labels.length > 0 ? f.labels : undefined,
  timeRange: f.timeRange,
});

/** `key:value`, with a key as the server accepts it. */
export const isLabel = (text: string): boolean => /^[A-Za-z0-9][A-Za-z0-9_.\-/]*:.*$/.test(text);

/** Labels typed as `a:1, b:2` (commas or spaces between them); the malformed ones apart. */
export const parseLabelText = (text: string): { labels: string[]; invalid: string[] } => {
  const parts = text
    .split(/[,\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  return { labels: parts.filter(isLabel), invalid: parts.filter((p) => !isLabel(p)) };
};
