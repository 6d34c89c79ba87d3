/** Logs of executions over the API: Kestra's LogEntry list with filters, the text download, the follow stream. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiExecution, dataDirWithFlows, readEvents } from '../helpers/api.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const FLOW = `id: chatty
namespace: test.logs
tasks:
  - id: one
    type: io.kestra.plugin.core.log.Log
    message: "first line"
  - id: two
    type: io.kestra.plugin.core.log.Log
    level: WARN
    message: "second line"
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.3S
  - id: three
    type: io.kestra.plugin.core.log.Log
    level: ERROR
    message: "last line"
`;

interface LogEntry {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId?: string;
  taskRunId?: string;
  attemptNumber?: number;
  level: string;
  message: string;
  timestamp: string;
}

describe('logs API', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await dataDirWithFlows([FLOW]);
    server = await startServer({ dataDir });
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (wait: boolean) => {
    const res = await server.request(`/api/v1/executions/test.logs/chatty${wait ? '?wait=true' : ''}`, {
      method: 'POST',
    });
    return (await res.json()) as ApiExecution;
  };

  it('lists the lines of an execution in Kestra shape, with level, task and task run filters', async () => {
    const e = await start(true);
    const all = (await (await server.request(`/api/v1/logs/${e.id}`)).json()) as LogEntry[];
    const messages = all.map((l) => l.message);
    expect(messages).toEqual(expect.arrayContaining(['first line', 'second line', 'last line']));
    const first = all.find((l) => l.message === 'first line')!;
    expect(first).toMatchObject({
      executionId: e.id,
      namespace: 'test.logs',
      flowId: 'chatty',
      taskId: 'one',
      level: 'INFO',
    });
    expect(first.taskRunId).toBe(e.taskRunList.find((t) => t.taskId === 'one')!.id);
    const warn = (await (await server.request(`/api/v1/logs/${e.id}?minLevel=WARN`)).json()) as LogEntry[];
    expect(warn.map((l) => l.message)).toEqual(['second line', 'last line']);
    const byTask = (await (await server.request(`/api/v1/logs/${e.id}?taskId=three`)).json()) as LogEntry[];
    expect(byTask.map((l) => l.message)).toEqual(['last line']);
    const byRun = (await (
      await server.request(
        `/api/v1/logs/${e.id}?taskRunId=${first.taskRunId}&attempt=${first.attemptNumber ?? 1}`,
      )
    ).json()) as LogEntry[];
    expect(byRun.map((l) => l.message)).toEqual(['first line']);
    const bad = await server.request(`/api/v1/logs/${e.id}?minLevel=LOUD`);
    expect(bad.status).toBe(400);
    expect((await server.request('/api/v1/logs/unknown-execution')).status).toBe(404);
  });

  it('downloads the lines as text', async () => {
    const e = await start(true);
    const res = await server.request(`/api/v1/logs/${e.id}/download`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/INFO\s+one first line\n/);
    expect(text).toMatch(/ERROR\s+three last line\n/);
  });

  it('follows the lines as server-sent events until the execution ended', async () => {
    const e = await start(false);
    const events = await readEvents(await server.request(`/api/v1/logs/${e.id}/follow?minLevel=INFO`));
    expect(events[0]!.id).toBe('start');
    const lines = events.slice(1).map((ev) => JSON.parse(ev.data) as LogEntry);
    expect(events.slice(1).every((ev) => ev.id === 'progress')).toBe(true);
    expect(lines.map((l) => l.message)).toEqual(
      expect.arrayContaining(['first line', 'second line', 'last line']),
    );
    // each line once, in order
    const ours = lines.map((l) => l.message).filter((m) => m.endsWith(' line'));
    expect(ours).toEqual(['first line', 'second line', 'last line']);
    const ended = (await (await server.request(`/api/v1/executions/${e.id}`)).json()) as ApiExecution;
    expect(ended.state.current).toBe('SUCCESS');
  });
});
