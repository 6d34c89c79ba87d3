/**
 * Redis against the real server on 127.0.0.1:6379, through `baton server`: the string, list and pubsub
 * tasks; the list Trigger and RealtimeTrigger (push → execution with the element); and a trigger killed
 * right after its execution is stored but before it removes the element from its processing list (the
 * BATON_TEST_CRASH_BEFORE_ACK hook: the server SIGKILLs itself there) gets the element back on restart.
 * Keys are unique to the run and deleted at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow, eventually, unique, waitExecutions } from '../helpers/integrations.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const URL = 'redis://127.0.0.1:6379/0';
const id = unique('t');
const K = `baton:${id}`;
const NS = `redis.${id}`;
let redis: Redis;
const servers: TestServer[] = [];

beforeAll(() => {
  redis = new Redis(URL);
});
afterAll(async () => {
  for (const s of servers) await s.dispose();
  const keys = await redis.keys(`${K}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('Redis tasks and triggers through baton server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { BATON_SECRET_REDIS_PASSWORD: 'hunter2' } });
    servers.push(server);
  });

  it('Set, Get, Delete, ListPush, ListPop and Publish do what Redis says they did', async () => {
    const sub = new Redis(URL);
    const heard: string[] = [];
    await sub.subscribe(`${K}:news`);
    sub.on('message', (_c, m) => heard.push(m));
    await deployFlow(
      server,
      `id: tasks
namespace: ${NS}
tasks:
  - id: set
    type: io.kestra.plugin.redis.string.Set
    url: ${URL}
    key: ${K}:doc
    value: { "n": 1 }
    serdeType: JSON
  - id: replace
    type: io.kestra.plugin.redis.Set
    url: ${URL}
    key: ${K}:doc
    value: '{"n": 2}'
    serdeType: JSON
    get: true
    options: { expirationDuration: PT1H }
  - id: get
    type: io.kestra.plugin.redis.string.Get
    url: ${URL}
    key: ${K}:doc
    serdeType: JSON
  - id: delete
    type: io.kestra.plugin.redis.string.Delete
    url: ${URL}
    keys: [${K}:doc, ${K}:none]
  - id: push
    type: io.kestra.plugin.redis.list.ListPush
    url: ${URL}
    key: ${K}:list
    from: [a, b, c]
  - id: pop
    type: io.kestra.plugin.redis.list.ListPop
    url: ${URL}
    key: ${K}:list
    maxRecords: 2
  - id: popped
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.pop.uri) | trim }}"
  - id: publish
    type: io.kestra.plugin.redis.pubsub.Publish
    url: ${URL}
    channel: ${K}:news
    from: [hello, world]
`,
    );
    const res = await server.request(`/api/v1/executions/${NS}/tasks?wait=true`, { method: 'POST' });
    const e = (await res.json()) as {
      state: { current: string };
      taskRunList: { taskId: string; outputs: Record<string, unknown> }[];
    };
    expect(e.state.current).toBe('SUCCESS');
    const out = (t: string) => e.taskRunList.find((r) => r.taskId === t)!.outputs;
    expect(out('replace').oldValue).toEqual({ n: 1 });
    expect(out('get')).toEqual({ key: `${K}:doc`, data: { n: 2 } });
    expect(out('delete').count).toBe(1);
    expect(out('push').count).toBe(3);
    // LPUSH a, b, c puts c at the head; LPOP takes c then b.
    expect(out('pop').count).toBe(2);
    expect(out('popped').value).toBe('"c"\n"b"');
    expect(await redis.lrange(`${K}:list`, 0, -1)).toEqual(['a']);
    expect(out('publish').count).toBe(2);
    await eventually(async () => (heard.length === 2 ? true : undefined), 'the published messages');
    expect(heard).toEqual(['hello', 'world']);
    sub.disconnect();
  });

  it('a server that does not answer fails the task with what to check, the password kept out', async () => {
    await deployFlow(
      server,
      `id: unreachable
namespace: ${NS}
tasks:
  - id: get
    type: io.kestra.plugin.redis.string.Get
    url: "redis://:{{ secret('REDIS_PASSWORD') }}@127.0.0.1:1/0"
    key: any
`,
    );
    const res = await server.request(`/api/v1/executions/${NS}/unreachable?wait=true`, { method: 'POST' });
    const e = (await res.json()) as { id: string; state: { current: string } };
    expect(e.state.current).toBe('FAILED');
    const logs = await (await server.request(`/api/v1/logs/${e.id}/download`)).text();
    expect(logs).toContain('could not connect to Redis at redis://***@127.0.0.1:1/0');
    expect(logs).toContain('Check that the server runs');
    expect(logs).not.toContain('hunter2');
  });

  it('RealtimeTrigger starts one execution per element pushed', async () => {
    await deployFlow(
      server,
      `id: realtime
namespace: ${NS}
tasks:
  - id: echo
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.value.order }}"
triggers:
  - id: watch
    type: io.kestra.plugin.redis.list.RealtimeTrigger
    url: ${URL}
    key: ${K}:rt
    serdeType: JSON
`,
    );
    await redis.lpush(`${K}:rt`, JSON.stringify({ order: 1 }), JSON.stringify({ order: 2 }));
    const found = await waitExecutions(server, NS, 'realtime', 2);
    expect(
      found
        .map((e) => e.trigger!.variables.value)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([{ order: 1 }, { order: 2 }]);
    expect(await redis.llen(`${K}:rt`)).toBe(0);
    const processing = await redis.keys(`${K}:rt:baton-processing:*`);
    expect(processing).toEqual([]);
  });

  it('Trigger polls and starts one execution with the file of what it popped', async () => {
    await redis.lpush(`${K}:poll`, 'x', 'y', 'z');
    await deployFlow(
      server,
      `id: polled
namespace: ${NS}
tasks:
  - id: content
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(trigger.uri) | trim }}"
triggers:
  - id: watch
    type: io.kestra.plugin.redis.list.Trigger
    url: ${URL}
    key: ${K}:poll
    interval: PT1S
`,
    );
    const [e] = await waitExecutions(server, NS, 'polled', 1);
    expect(e!.trigger!.variables.count).toBe(3);
    expect(await redis.llen(`${K}:poll`)).toBe(0);
    expect(await redis.keys(`${K}:poll:baton-processing:*`)).toEqual([]);
  });
});

describe('a Redis trigger killed before removing what it took gets it back on restart', () => {
  for (const [type, flowId] of [
    ['io.kestra.plugin.redis.list.RealtimeTrigger', 'crash_rt'],
    ['io.kestra.plugin.redis.list.Trigger', 'crash_poll'],
  ] as const) {
    it(type, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'baton-redis-crash-'));
      try {
        const key = `${K}:${flowId}`;
        const first = await startServer({ dataDir, env: { BATON_TEST_CRASH_BEFORE_ACK: type } });
        servers.push(first);
        await deployFlow(
          first,
          `id: ${flowId}
namespace: ${NS}
tasks:
  - id: echo
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.value ?? trigger.count }}"
triggers:
  - id: watch
    type: ${type}
    url: ${URL}
    key: ${key}
${type.endsWith('RealtimeTrigger') ? '' : '    interval: PT1S\n'}`,
        );
        await redis.lpush(key, 'precious');
        // The hook kills the server once the execution is stored, before the element is removed.
        await first.exited;
        expect(first.child.signalCode).toBe('SIGKILL');
        expect(await redis.llen(key)).toBe(0);
        const [processing] = await redis.keys(`${key}:baton-processing:*`);
        expect(await redis.lrange(processing!, 0, -1)).toEqual(['precious']);

        const second = await startServer({ dataDir });
        servers.push(second);
        // The execution stored before the crash, and the one of the element put back.
        const found = await waitExecutions(second, NS, flowId, 2);
        expect(found).toHaveLength(2);
        for (const e of found)
          expect(e.trigger!.variables.value ?? e.trigger!.variables.count).toBe(
            type.endsWith('RealtimeTrigger') ? 'precious' : 1,
          );
        await eventually(
          async () => ((await redis.exists(processing!)) === 0 ? true : undefined),
          'an empty processing list',
        );
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
