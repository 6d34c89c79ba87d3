/**
 * The dashboards' statistics against the built server: runs per day and state (every day of the range,
 * zero days included), per-flow failure rate and duration percentiles computed by the store, time saved
 * from the flow's `baton.io/minutes-saved` label, and a viewer of one namespace sees only its flows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

const OK = `id: ok
namespace: stats.team
labels:
  baton.io/minutes-saved: "7.5"
tasks:
  - id: hi
    type: io.kestra.plugin.core.log.Log
    message: hi
`;
const BAD = `id: bad
namespace: stats.team
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`;
const HIDDEN = `id: hidden
namespace: other.team
tasks:
  - id: hi
    type: io.kestra.plugin.core.log.Log
    message: hi
`;

interface FlowStat {
  namespace: string;
  flowId: string;
  total: number;
  successes: number;
  failures: number;
  failureRate: number;
  durationP50Ms?: number;
  durationP95Ms?: number;
  minutesSavedPerRun?: number;
  minutesSaved: number;
}

describe('stats routes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    for (const source of [OK, BAD, HIDDEN]) {
      const res = await server.request('/api/v1/flows', {
        method: 'POST',
        body: source,
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const runs: [string, string, number][] = [
      ['stats.team', 'ok', 3],
      ['stats.team', 'bad', 1],
      ['other.team', 'hidden', 1],
    ];
    for (const [ns, id, n] of runs)
      for (let i = 0; i < n; i++) {
        const res = await server.request(`/api/v1/executions/${ns}/${id}?wait=true`, { method: 'POST' });
        expect(res.status, await res.clone().text()).toBe(200);
      }
    const viewer = await server.request('/api/v1/users', {
      method: 'POST',
      json: {
        name: 'val',
        password: 'viewer-password-1',
        bindings: [{ role: 'viewer', namespace: 'stats' }],
      },
    });
    expect(viewer.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('counts runs per day and state, with every day of the range', async () => {
    const endDate = new Date().toISOString();
    const startDate = new Date(Date.now() - 6 * 86_400_000).toISOString();
    const res = await server.request('/api/v1/stats/executions/daily', {
      method: 'POST',
      json: { startDate, endDate },
    });
    expect(res.status).toBe(200);
    const days = (await res.json()) as { startDate: string; executionCounts: Record<string, number> }[];
    expect(days.map((d) => d.startDate)).toHaveLength(7);
    expect(days.at(-1)).toEqual({
      startDate: endDate.slice(0, 10),
      executionCounts: { SUCCESS: 4, FAILED: 1 },
    });
    expect(days[0]!.executionCounts).toEqual({});

    const one = await server.request('/api/v1/stats/executions/daily', {
      method: 'POST',
      json: { namespace: 'stats.team', flowId: 'bad' },
    });
    expect(((await one.json()) as { executionCounts: object }[]).at(-1)!.executionCounts).toEqual({
      FAILED: 1,
    });
  });

  it('gives per flow the failure rate, duration percentiles and time saved', async () => {
    const res = await server.request('/api/v1/stats/flows');
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: FlowStat[] };
    const ok = results.find((f) => f.flowId === 'ok')!;
    expect(ok).toMatchObject({
      total: 3,
      successes: 3,
      failures: 0,
      failureRate: 0,
      minutesSavedPerRun: 7.5,
    });
    expect(ok.minutesSaved).toBe(22.5);
    expect(ok.durationP50Ms).toBeGreaterThanOrEqual(0);
    expect(ok.durationP95Ms).toBeGreaterThanOrEqual(ok.durationP50Ms!);
    const bad = results.find((f) => f.flowId === 'bad')!;
    expect(bad).toMatchObject({ total: 1, failures: 1, failureRate: 1, minutesSaved: 0 });
    expect(bad.minutesSavedPerRun).toBeUndefined();
    expect(results.map((f) => f.namespace)).toContain('other.team');
  });

  it("shows a viewer only their namespaces' runs", async () => {
    const headers = { authorization: basic('val', 'viewer-password-1') };
    const flows = (await (await server.request('/api/v1/stats/flows', { headers })).json()) as {
      results: FlowStat[];
    };
    expect(flows.results.map((f) => f.flowId).sort()).toEqual(['bad', 'ok']);
    const daily = (await (
      await server.request('/api/v1/stats/executions/daily', { method: 'POST', json: {}, headers })
    ).json()) as { executionCounts: object }[];
    expect(daily.at(-1)!.executionCounts).toEqual({ SUCCESS: 3, FAILED: 1 });
  });

  it('refuses a range over a year or upside down', async () => {
    const res = await server.request(
      '/api/v1/stats/flows?startDate=2020-01-01T00:00:00Z&endDate=2022-01-01T00:00:00Z',
    );
    expect(res.status).toBe(400);
    const upside = await server.request(
      '/api/v1/stats/flows?startDate=2022-01-01T00:00:00Z&endDate=2021-01-01T00:00:00Z',
    );
    expect(upside.status).toBe(400);
  });
});
