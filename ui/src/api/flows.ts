/** Flows through the API (Kestra's FlowController paths). */
import { request } from './client.ts';
import type { Flow, Page, ValidateResult } from './types.ts';

const path = (namespace: string, id: string) =>
  `/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}`;

const YAML = 'application/x-yaml';

export const searchFlows = (query: { q?: string; namespace?: string; page?: number; size?: number }) =>
  request<Page<Flow>>('/flows/search', {
    query: { ...query, sort: ['namespace:asc', 'id:asc'] },
  });

export const getFlow = (namespace: string, id: string, revision?: number) =>
  request<Flow>(path(namespace, id), { query: { source: true, revision } });

export const createFlow = (source: string) =>
  request<Flow>('/flows', { method: 'POST', body: source, contentType: YAML });

/** Saves a new revision (none when the source did not change). */
export const updateFlow = (namespace: string, id: string, source: string) =>
  request<Flow>(path(namespace, id), { method: 'PUT', body: source, contentType: YAML });

export const validateFlow = (source: string, signal?: AbortSignal) =>
  request<ValidateResult[]>('/flows/validate', {
    method: 'POST',
    body: source,
    contentType: YAML,
    ...(signal ? { signal } : {}),
  });

/** Every revision with its source, oldest first. */
export const flowRevisions = (namespace: string, id: string) =>
  request<Flow[]>(`${path(namespace, id)}/revisions`);

/** The flow JSON Schema (Kestra's `/plugins/schemas/flow`), for the editor. */
export const flowSchema = () => request<Record<string, unknown>>('/plugins/schemas/flow');

export const namespaces = () =>
  request<Page<{ id: string }>>('/namespaces/search', { query: { size: 1000 } });
