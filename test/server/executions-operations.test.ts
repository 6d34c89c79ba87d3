/**
 * Operator commands over the API against the built server: pause/resume with onResume inputs, pause of
 * a running execution, restart, change of a task run's state, replay from a task run, labels.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiExecution, dataDirWithFlows, waitForState } from '../helpers/api.ts';
import { ended, FLOWS, NS } from '../helpers/execution-flows.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('execution operations API', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await dataDirWithFlows(FLOWS);
    server = await startServer({ dataDir });
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (flowId: string, query = '', init: RequestInit & { json?: unknown } = {}) => {
    const res = await server.request(`/api/v1/executions/${NS}/${flowId}${query}`, {
      method: 'POST',
      ...init,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as ApiExecution;
  };

  it('pauses on a Pause task and resumes with validated onResume inputs', async () => {
    const created = await run('approval');
    const paused = await waitForState(server, created.id, (e) => e.state.current === 'PAUSED');
    expect(paused.taskRunList[0]!.state.current).toBe('PAUSED');
    const bad = await server.request(`/api/v1/executions/${created.id}/resume`, {
      method: 'POST',
      json: { approved: 'perhaps' },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toContain('`approved`');
    const form = new FormData();
    form.append('approved', 'true');
    const ok = await server.request(`/api/v1/executions/${created.id}/resume`, {
      method: 'POST',
      body: form,
    });
    expect(ok.status).toBe(204);
    const done = await waitForState(server, created.id, ended);
    expect(done.state.current).toBe('SUCCESS');
    expect(done.taskRunList.find((t) => t.taskId === 'decision')!.outputs).toEqual({
      value: 'approved=true',
    });
    const notPaused = await server.request(`/api/v1/executions/${created.id}/resume`, { method: 'POST' });
    expect(notPaused.status).toBe(409);
  });

  it('pauses a running execution on request', async () => {
    const created = await run('sleeper');
    await waitForState(server, created.id, (e) => e.state.current === 'RUNNING');
    const res = await server.request(`/api/v1/executions/${created.id}/pause`, { method: 'POST' });
    expect(res.status).toBe(204);
    await waitForState(server, created.id, (e) => e.state.current === 'PAUSED');
    await server.request(`/api/v1/executions/${created.id}/kill`, { method: 'DELETE' });
    await waitForState(server, created.id, ended);
  });

  it('restarts a failed execution: the failed task run gets a new attempt', async () => {
    const failed = await run('failing', '?wait=true');
    expect(failed.state.current).toBe('FAILED');
    const res = await server.request(`/api/v1/executions/${failed.id}/restart`, { method: 'POST' });
    expect(res.status).toBe(200);
    const restarted = (await res.json()) as ApiExecution;
    expect(restarted.id).toBe(failed.id);
    const done = await waitForState(
      server,
      failed.id,
      (e) => ended(e) && e.taskRunList[0]!.attempts.length === 2,
    );
    expect(done.state.histories.map((h) => h.state)).toContain('RESTARTED');
    const ok = await run('two_steps', '?wait=true');
    const refused = await server.request(`/api/v1/executions/${ok.id}/restart`, { method: 'POST' });
    expect(refused.status).toBe(409);
  });

  it('changes the state of a failed task run, which ends the execution in that state', async () => {
    const failed = await run('failing', '?wait=true');
    const taskRunId = failed.taskRunList[0]!.id;
    const res = await server.request(`/api/v1/executions/${failed.id}/state`, {
      method: 'POST',
      json: { taskRunId, state: 'SUCCESS' },
    });
    expect(res.status).toBe(200);
    const done = await waitForState(server, failed.id, (e) => e.state.current === 'SUCCESS');
    expect(done.taskRunList[0]!.state.current).toBe('SUCCESS');
    const unknown = await server.request(`/api/v1/executions/${failed.id}/state`, {
      method: 'POST',
      json: { taskRunId: 'nope', state: 'SUCCESS' },
    });
    expect(unknown.status).toBe(422);
  });

  it('replays an ended execution from a task run as a new execution', async () => {
    const original = await run('two_steps', '?wait=true');
    const second = original.taskRunList.find((t) => t.taskId === 'second')!;
    const res = await server.request(`/api/v1/executions/${original.id}/replay?taskRunId=${second.id}`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    const replay = (await res.json()) as ApiExecution;
    expect(replay.id).not.toBe(original.id);
    expect(replay.originalId).toBe(original.id);
    const done = await waitForState(server, replay.id, ended);
    expect(done.state.current).toBe('SUCCESS');
    const first = done.taskRunList.find((t) => t.taskId === 'first')!;
    // the first task run was kept (copied), the second ran again in the replay
    expect(first.attempts).toHaveLength(1);
    expect(first.outputs).toEqual({ value: 'one' });
    expect(String(done.taskRunList.find((t) => t.taskId === 'second')!.outputs!.uri)).toContain(replay.id);
  });

  it('sets labels of an ended execution, keeping its system labels', async () => {
    const e = await run('two_steps', '?wait=true&labels=a:1');
    const res = await server.request(`/api/v1/executions/${e.id}/labels`, {
      method: 'POST',
      json: [{ key: 'b', value: '2' }],
    });
    expect(res.status).toBe(200);
    const read = (await (await server.request(`/api/v1/executions/${e.id}`)).json()) as ApiExecution;
    expect(read.labels).toEqual([
      { key: 'b', value: '2' },
      { key: 'system.correlationId', value: e.id },
    ]);
    const system = await server.request(`/api/v1/executions/${e.id}/labels`, {
      method: 'POST',
      json: [{ key: 'system.correlationId', value: 'forged' }],
    });
    expect(system.status).toBe(400);
  });
});
