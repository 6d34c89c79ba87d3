/**
 * The API calls of the operations pages (Kestra's paths): bulk kill/restart of executions, triggers
 * (search, enable/disable, backfill, unlock), and a namespace's KV entries, secret names and files.
 */
import { rawRequest, request } from './client.ts';
import type { Execution, Page } from './types.ts';

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** Kestra's BulkResponse, with the executions the action could not apply to. */
export interface BulkResult {
  count: number;
  errors?: { id: string; message: string }[];
}

/** The search with all its filters (namespace, flowId, state, labels, timeRange) and paging. */
export const listExecutions = (query: Query) => request<Page<Execution>>('/executions/search', { query });

export const killByIds = (ids: readonly string[]) =>
  request<BulkResult>('/executions/kill/by-ids', { method: 'DELETE', json: ids });
export const killByQuery = (query: Query) =>
  request<BulkResult>('/executions/kill/by-query', { method: 'DELETE', query });
export const restartByIds = (ids: readonly string[]) =>
  request<BulkResult>('/executions/restart/by-ids', { method: 'POST', json: ids });
export const restartByQuery = (query: Query) =>
  request<BulkResult>('/executions/restart/by-query', { method: 'POST', query });

/** A trigger context: its key and the scheduler's state of it. */
export interface TriggerContext {
  namespace: string;
  flowId: string;
  triggerId: string;
  date?: string;
  nextExecutionDate?: string;
  executionId?: string;
  executionCurrentState?: string;
  updatedDate?: string;
  disabled?: boolean;
  locked?: boolean;
  backfill?: { start: string; end?: string; currentDate?: string; paused?: boolean } | null;
  [key: string]: unknown;
}
export interface TriggerRow {
  abstractTrigger: { id: string; type: string; disabled?: boolean; cron?: string; [key: string]: unknown };
  triggerContext: TriggerContext;
}
export type TriggerKey = Pick<TriggerContext, 'namespace' | 'flowId' | 'triggerId'>;

export const searchTriggers = (query: { q?: string; namespace?: string; page?: number; size?: number }) =>
  request<Page<TriggerRow>>('/triggers/search', { query });

export const setTriggerDisabled = (key: TriggerKey, disabled: boolean) =>
  request<TriggerContext>('/triggers', { method: 'PUT', json: { ...key, disabled } });

export interface BackfillBody {
  start: string;
  end?: string;
  inputs?: Record<string, unknown>;
  labels?: { key: string; value: string }[];
}
export const backfillTrigger = (key: TriggerKey, backfill: BackfillBody) =>
  request<TriggerContext>('/triggers', { method: 'PUT', json: { ...key, backfill } });

export const unlockTrigger = (key: TriggerKey) =>
  request<TriggerContext>(
    `/triggers/${encodeURIComponent(key.namespace)}/${encodeURIComponent(key.flowId)}/${encodeURIComponent(key.triggerId)}/unlock`,
    { method: 'POST' },
  );

const ns = (namespace: string) => `/namespaces/${encodeURIComponent(namespace)}`;

export interface KvEntry {
  key: string;
  creationDate: string;
  updateDate: string;
  expirationDate?: string;
}
export type KvType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'JSON';

export const listKv = (namespace: string) => request<KvEntry[]>(`${ns(namespace)}/kv`);
export const getKv = (namespace: string, key: string) =>
  request<{ type: KvType; value: unknown }>(`${ns(namespace)}/kv/${encodeURIComponent(key)}`);
/** `body` is JSON text (the value's type is what it parses as); `ttl` an ISO-8601 duration. */
export const putKv = async (namespace: string, key: string, body: string, ttl?: string) => {
  const headers = ttl ? { ttl } : undefined;
  await rawRequest(`${ns(namespace)}/kv/${encodeURIComponent(key)}`, {
    method: 'PUT',
    body,
    contentType: 'application/json',
    headers,
  });
};
export const deleteKv = (namespace: string, key: string) =>
  request<boolean>(`${ns(namespace)}/kv/${encodeURIComponent(key)}`, { method: 'DELETE' });

export const secretNames = (namespace: string) =>
  request<Page<{ key: string }> & { readOnly: boolean }>(`${ns(namespace)}/secrets`, {
    query: { size: 1000 },
  });

export interface FileEntry {
  fileName: string;
  type: 'File' | 'Directory';
  size: number;
}
export const listDirectory = (namespace: string, path: string) =>
  request<FileEntry[]>(`${ns(namespace)}/files/directory`, { query: { path } });
export const readFile = async (namespace: string, path: string): Promise<string> =>
  (await rawRequest(`${ns(namespace)}/files`, { query: { path } })).text();
export const uploadFile = async (namespace: string, path: string, file: Blob) => {
  const form = new FormData();
  form.append('fileContent', file);
  await rawRequest(`${ns(namespace)}/files`, { method: 'POST', query: { path }, body: form });
};
export const deleteFile = async (namespace: string, path: string) => {
  await rawRequest(`${ns(namespace)}/files`, { method: 'DELETE', query: { path } });
};
