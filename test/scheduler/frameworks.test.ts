/**
 * The polling and realtime trigger frameworks, each with a real trigger type: a polling trigger over a
 * folder of files, and a realtime trigger reading lines from a TCP server started here. Run by the
 * scheduler on a real embedded engine.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Embedded, openEmbedded } from '../../src/runtime/embedded.ts';
import type { PollingTriggerType, RealtimeTriggerType } from '../../src/scheduler/registry.ts';
import { TriggerRegistry } from '../../src/scheduler/registry.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { builtinTasks } from '../../src/tasks/registry.ts';
import type { TaskDefinition } from '../../src/tasks/types.ts';
import { TEST_KEY } from '../helpers/engine.ts';
import { until } from '../helpers/schedule.ts';

const definition = (type: string, properties: Record<string, unknown>): TaskDefinition => ({
  type,
  kind: 'trigger',
  title: type,
  description: type,
  example: '',
  properties: Type.Object(
    Object.fromEntries(Object.keys(properties).map((k) => [k, Type.Optional(Type.Unknown())])),
  ),
});

/** Polls a folder: each poll that finds new files starts one execution with their names. */
const folderPoll: PollingTriggerType = {
  kind: 'polling',
  type: 'test.FolderPoll',
  async poll({ trigger, data }) {
    const seen = new Set((data as { seen?: string[] } | undefined)?.seen ?? []);
    const files = readdirSync(String(trigger.folder)).sort();
    const fresh = files.filter((f) => !seen.has(f));
    return { event: fresh.length > 0 ? { variables: { files: fresh } } : undefined, data: { seen: files } };
  },
};

/** Reads lines from a TCP server: each line starts one execution, once it is stored. */
const tcpLines: RealtimeTriggerType = {
  kind: 'realtime',
  type: 'test.TcpLines',
  subscribe({ trigger }, emit, signal) {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(trigger.port), '127.0.0.1');
      let buffered = '';
      let chain = Promise.resolve();
      signal.addEventListener('abort', () => {
        socket.destroy();
        resolve();
      });
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) chain = chain.then(() => emit({ variables: { line } }));
      });
      socket.on('error', reject);
      socket.on('close', () => void chain.then(() => reject(new Error('connection closed by the server'))));
    });
  },
};

let engine: Embedded;
let scheduler: Scheduler;
let dir: string;
const logs: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-frameworks-'));
  engine = await openEmbedded({
    dataDir: join(dir, 'data'),
    encryptionKey: TEST_KEY,
    registry: builtinTasks.with([
      definition('test.FolderPoll', { folder: 1, interval: 1 }),
      definition('test.TcpLines', { port: 1 }),
    ]),
  });
  const log = (level: string) => (obj: object, msg: string) =>
    logs.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  scheduler = new Scheduler({
    store: engine.store,
    flows: engine.flows,
    executor: engine.executor,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    registry: new TriggerRegistry().register(folderPoll).register(tcpLines),
    realtimeBackoff: { initial: 50, max: 200 },
  });
  scheduler.start();
});
afterAll(async () => {
  await scheduler?.stop();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const executions = async (flowId: string) =>
  engine.store.listExecutions({ namespace: 'frameworks', flowId, limit: 1000 });
const variable = (e: { trigger?: { variables: Record<string, unknown> } }, name: string) =>
  e.trigger?.variables[name];

describe('a polling trigger', () => {
  it('starts one execution per poll that finds something, keeps its memory, honours conditions and revisions', async () => {
    const folder = join(dir, 'in');
    const folder2 = join(dir, 'in2');
    mkdirSync(folder);
    mkdirSync(folder2);
    const source = (f: string) => `id: watch
namespace: frameworks
tasks:
  - id: files
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.files | join(',') }}"
triggers:
  - id: folder
    type: test.FolderPoll
    folder: ${f}
    interval: PT0.1S
    conditions:
      - type: io.kestra.plugin.core.condition.Expression
        expression: "{{ trigger.files[0] != 'skip.txt' }}"
`;
    await engine.store.saveFlow('frameworks', 'watch', source(folder));
    const key = { namespace: 'frameworks', flowId: 'watch', triggerId: 'folder' };
    await until('a first poll', async () => (await engine.store.getTriggerState(key))?.data);
    expect(await executions('watch')).toEqual([]);

    writeFileSync(join(folder, 'a.txt'), 'a');
    const first = await until('an execution for a.txt', async () => (await executions('watch'))[0]);
    expect(variable(first, 'files')).toEqual(['a.txt']);
    expect(first.trigger?.type).toBe('test.FolderPoll');

    // A condition that does not hold starts nothing, but what the poll saw is remembered.
    writeFileSync(join(folder, 'skip.txt'), 's');
    await until('skip.txt seen', async () =>
      ((await engine.store.getTriggerState(key))?.data as { seen?: string[] } | undefined)?.seen?.includes(
        'skip.txt',
      ),
    );
    writeFileSync(join(folder, 'd.txt'), 'd');
    await until('an execution for d.txt', async () => (await executions('watch')).length === 2);
    const files = (await executions('watch')).map((e) => variable(e, 'files'));
    expect(files).toContainEqual(['d.txt']);
    expect(files).not.toContainEqual(expect.arrayContaining(['skip.txt']));

    // A changed trigger starts afresh: its memory is dropped.
    writeFileSync(join(folder2, 'a.txt'), 'a');
    await engine.store.saveFlow('frameworks', 'watch', source(folder2));
    await until('a.txt of the new folder', async () => (await executions('watch')).length === 3);
    await engine.store.deleteFlow('frameworks', 'watch');
    await until('its state to go', async () => (await engine.store.getTriggerState(key)) === undefined);
  });

  it('turns itself off when an execution it started ends in a stopAfter state', async () => {
    const folder = join(dir, 'fail');
    mkdirSync(folder);
    await engine.store.saveFlow(
      'frameworks',
      'watch_fail',
      `id: watch_fail
namespace: frameworks
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
triggers:
  - id: folder
    type: test.FolderPoll
    folder: ${folder}
    interval: PT0.1S
    stopAfter: [FAILED]
`,
    );
    writeFileSync(join(folder, 'x.txt'), 'x');
    const key = { namespace: 'frameworks', flowId: 'watch_fail', triggerId: 'folder' };
    await until('the trigger off', async () => (await engine.store.getTriggerState(key))?.disabled);
    writeFileSync(join(folder, 'y.txt'), 'y');
    const since = Date.now();
    await until('several intervals', () => Date.now() - since > 800);
    expect((await executions('watch_fail')).map((e) => e.state.current)).toEqual(['FAILED']);
  });
});

describe('a realtime trigger', () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const open = () => sockets.filter((s) => !s.destroyed && !s.closed);

  it('starts one execution per event, restarts after a failure, restarts on a new revision, stops on deletion', async () => {
    const port = (server.address() as { port: number }).port;
    const source = (label: string) => `id: listen
namespace: frameworks
labels:
  version: ${label}
tasks:
  - id: line
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.line }}"
triggers:
  - id: tcp
    type: test.TcpLines
    port: ${port}
`;
    await engine.store.saveFlow('frameworks', 'listen', source('one'));
    const first = await until('a connection', () => open()[0]);
    first.write('one\ntwo\n');
    await until('two executions', async () => (await executions('listen')).length === 2);

    // The source fails: the consumer starts again after a backoff and goes on.
    first.destroy();
    const second = await until('a new connection', () => open()[0]);
    second.write('three\n');
    await until('the third execution', async () => (await executions('listen')).length === 3);
    expect(sockets.length).toBe(2);

    // A new revision: the consumer of the old one stops, a new one starts.
    await engine.store.saveFlow('frameworks', 'listen', source('two'));
    await until(
      'the old connection closed and a new one',
      () => second.closed && sockets.length === 3 && open()[0],
    );
    open()[0]!.write('four\n');
    await until('the fourth execution', async () => (await executions('listen')).length === 4);
    const lines = (await executions('listen')).map((e) => variable(e, 'line')).sort();
    expect(lines).toEqual(['four', 'one', 'three', 'two']);
    const four = (await executions('listen')).find((e) => variable(e, 'line') === 'four');
    expect(four?.labels).toContainEqual({ key: 'version', value: 'two' });

    // Deleted: stopped, and not started again.
    await engine.store.deleteFlow('frameworks', 'listen');
    await until('the connection closed', () => open().length === 0);
    const since = Date.now();
    await until('a few backoffs', () => Date.now() - since > 600);
    expect(sockets.length).toBe(3);
    expect(logs.some((l) => l.startsWith('warn realtime trigger failed'))).toBe(true);
  });
});
