/**
 * Helpers for the integration tests through `baton server`: deploying a flow, searching a flow's
 * executions, and waiting for what the server does on its own (triggers) by watching the API.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestServer } from './server.ts';

/** A name unique to this test run (queues, subjects, keys, namespaces). */
export const unique = (prefix: string): string => `${prefix}${randomBytes(4).toString('hex')}`;

export const deployFlow = async (server: TestServer, yaml: string): Promise<void> => {
  const res = await server.request('/api/v1/flows', {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: yaml,
  });
  if (res.status !== 200) throw new Error(`flow not created (${res.status}): ${await res.text()}`);
};

export interface FoundExecution {
  id: string;
  state: { current: string };
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
  taskRunList?: { taskId: string; outputs?: Record<string, unknown> }[];
}

export const executionsOf = async (
  server: TestServer,
  namespace: string,
  flowId: string,
): Promise<FoundExecution[]> => {
  const res = await server.request(
    `/api/v1/executions/search?namespace=${namespace}&flowId=${flowId}&size=100`,
  );
  const body = (await res.json()) as { results: FoundExecution[] };
  return body.results;
};

/**
 * Asks `probe` until it gives a value (not undefined) or `timeoutMs` passes. What is awaited happens in
 * another process (a trigger reacting to a message): the API is the only way to observe it.
 */
export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Between two looks at the API: often enough for a quick test, rarely enough not to load the server.
    await sleep(100);
  }
};

/** Executions of the flow once there are `count` of them, all ended. */
export const waitExecutions = (
  server: TestServer,
  namespace: string,
  flowId: string,
  count: number,
  timeoutMs?: number,
): Promise<FoundExecution[]> =>
  eventually(
    async () => {
      const found = await executionsOf(server, namespace, flowId);
      const ended = found.filter((e) => ['SUCCESS', 'FAILED', 'WARNING'].includes(e.state.current));
      return ended.length >= count ? found : undefined;
    },
    `${count} ended executions of ${namespace}.${flowId}`,
    timeoutMs,
  );
