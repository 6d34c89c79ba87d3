/** Shared by the broker integration tests: a flow deployed on a `baton server`, its executions read back. */

import { openServerStore, until } from '../helpers/schedule.ts';
import type { TestServer } from '../helpers/server.ts';

export interface ApiExecution {
  id: string;
  state: { current: string };
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
  taskRunList?: { taskId: string; outputs?: Record<string, unknown> }[];
}

export { deployFlow } from '../helpers/integrations.ts';

export const executionsOf = async (
  server: TestServer,
  ns: string,
  flowId: string,
): Promise<ApiExecution[]> => {
  const res = await server.request(`/api/v1/executions/search?namespace=${ns}&flowId=${flowId}&size=100`);
  if (res.status !== 200) throw new Error(`search failed (${res.status}): ${await res.text()}`);
  return ((await res.json()) as { results: ApiExecution[] }).results;
};

/** Waits until the flow has `count` executions, all ended SUCCESS; returns them with their task runs. */
export const succeeded = async (
  server: TestServer,
  ns: string,
  flowId: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ApiExecution[]> => {
  const list = await until(
    `${count} successful execution(s) of ${ns}.${flowId}`,
    async () => {
      const found = await executionsOf(server, ns, flowId);
      return found.length >= count && found.every((e) => e.state.current === 'SUCCESS') && found;
    },
    timeoutMs,
  );
  // Task outputs read from the server's own store (a second connection on its data folder).
  const store = await openServerStore(server.dataDir);
  try {
    return await Promise.all(
      list.map(async (e) => {
        const full = await store.getExecution(e.id);
        const taskRunList = (full?.taskRuns ?? []).map((t) => ({ taskId: t.taskId, outputs: t.outputs }));
        return { ...e, taskRunList };
      }),
    );
  } finally {
    await store.close();
  }
};

export const outputOf = (e: ApiExecution, taskId: string): unknown =>
  e.taskRunList?.find((t) => t.taskId === taskId)?.outputs?.value;
