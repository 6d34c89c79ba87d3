/** Executions through the API: create (multipart inputs), read, search, follow (server-sent events). */
import { request } from './client.ts';
import { readEvents } from './sse.ts';
import type { Execution, Page } from './types.ts';

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
