/** The triggers API and flow deployment as the schedule tests use them, against one test server. */
import type { TestServer } from '../helpers/server.ts';

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
