/** Executions through the API: create (multipart inputs), read, search, follow (server-sent events). */
import { request } from './client.ts';
import { readEvents } from './sse.ts';
import type { Execution, Label, Page } from './types.ts';

export const createExecution = (namespace: string, flowId: string, inputs: FormData) =>
  request<Execution & { url: string }>(
    `/executions/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}`,
    { method: 'POST', body: inputs },
  );

export const getExecution = (id: string) => request<Execution>(`/executions/${encodeURIComponent(id)}`);

export const searchExecutions = (query: { namespace?: string; flowId?: string; size?: number }) =>
  request<Page<Execution>>('/executions/search', { query });

/**
 * Follows an execution until it ends (Kestra's `start`, `progress`..., `end` events): `onChange` gets
 * each new state of it. Resolves when the stream ends; abort with `signal`.
 */
export const followExecution = (
  id: string,
  onChange: (execution: Execution) => void,
  signal: AbortSignal,
): Promise<void> =>
  readEvents(`/executions/${encodeURIComponent(id)}/follow`, signal, (event) => {
    if (event.id === 'progress' || event.id === 'end') onChange(JSON.parse(event.data) as Execution);
  });

const executionPath = (id: string) => `/executions/${encodeURIComponent(id)}`;

export const killExecution = (id: string) => request<void>(`${executionPath(id)}/kill`, { method: 'DELETE' });

export const pauseExecution = (id: string) => request<void>(`${executionPath(id)}/pause`, { method: 'POST' });

/** Resumes a paused execution; `inputs` are the Pause tasks' `onResume` values (multipart, files too). */
export const resumeExecution = (id: string, inputs?: FormData) =>
  request<void>(`${executionPath(id)}/resume`, { method: 'POST', ...(inputs ? { body: inputs } : {}) });

/** Restarts a failed or killed execution from its failed task runs. */
export const restartExecution = (id: string) =>
  request<Execution>(`${executionPath(id)}/restart`, { method: 'POST' });

/** A new execution copying this one up to `taskRunId`, run from there. */
export const replayExecution = (id: string, taskRunId: string) =>
  request<Execution>(`${executionPath(id)}/replay`, { method: 'POST', query: { taskRunId } });

export const changeTaskRunState = (id: string, taskRunId: string, state: 'SUCCESS' | 'WARNING' | 'FAILED') =>
  request<Execution>(`${executionPath(id)}/state`, { method: 'POST', json: { taskRunId, state } });

export const setLabels = (id: string, labels: Label[]) =>
  request<Execution>(`${executionPath(id)}/labels`, { method: 'POST', json: labels });

/** The URL of a file of the execution (a `kestra:///` URI), for the session's authorized fetch. */
export const filePath = (id: string) => `${executionPath(id)}/file`;
