/** The triggers API and flow deployment as the schedule tests use them, against one test server. */
import { afterAll, beforeAll } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';
import { openServerStore } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

export const json = async (res: Response) => {
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return body;
};

/** `server` is read at each call: test files start theirs in beforeAll. */
export const triggerApi = (server: () => TestServer, NS: string) => {
  const search = async (flowId: string) => {
    const body = await json(
      await server().request(`/api/v1/triggers/search?namespace=${NS}&flowId=${flowId}&size=50`),
    );
    return body.results as {
      abstractTrigger: Record<string, unknown>;
      triggerContext: Record<string, unknown>;
    }[];
  };
  /** Deploys a flow as a client does: its YAML posted to the flows API. */
  const deploy = async (source: string) => {
    const res = await server().request('/api/v1/flows', {
      method: 'POST',
      body: source,
      headers: { 'content-type': 'application/x-yaml' },
    });
    if (res.status !== 200) throw new Error(`deploy: ${res.status} ${await res.text()}`);
  };
  const remove = async (flowId: string) => {
    const res = await server().request(`/api/v1/flows/${NS}/${flowId}`, { method: 'DELETE' });
    if (res.status !== 204 && res.status !== 200)
      throw new Error(`delete: ${res.status} ${await res.text()}`);
  };
  const contextOf = async (flowId: string) => (await search(flowId))[0]?.triggerContext;
  const ref = (flowId: string, triggerId = 'tick') => ({ namespace: NS, flowId, triggerId });
  return { search, deploy, remove, contextOf, ref };
};

/**
 * One server for a test file (started in beforeAll, disposed in afterAll), its store opened beside it,
 * and the triggers API on namespace `NS`.
 */
export const scheduleServer = (NS: string) => {
  let server: TestServer | undefined;
  let store: SqliteStore | undefined;
  beforeAll(async () => {
    server = await startServer();
    store = await openServerStore(server.dataDir);
  });
  afterAll(async () => {
    await store?.close();
    await server?.dispose();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the schedule test server is not started yet');
    return value;
  };
  return {
    get server() {
      return ready(server);
    },
    get store() {
      return ready(store);
    },
    ...triggerApi(() => ready(server), NS),
  };
};
