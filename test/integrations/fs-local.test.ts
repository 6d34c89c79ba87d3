/**
 * Local file triggers on real folders, through `baton server` started with BATON_ALLOWED_PATHS: the
 * polling Trigger's MOVE (recursive), DELETE (maxFiles), NONE; a file still being written is not taken
 * (the writer appends between polls, observed through the triggers API); folders outside the allowed
 * paths are refused; the RealtimeTrigger reports created files; and a server killed after storing the
 * execution but before the action (BATON_TEST_CRASH_BEFORE_ACK) leaves the file to be taken again.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deployFlow,
  eventually,
  executionsOf,
  type FoundExecution,
  unique,
  waitExecutions,
} from '../helpers/integrations.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const root = mkdtempSync(join(tmpdir(), 'baton-fs-'));
const allowed = join(root, 'allowed');
const forbidden = join(root, 'forbidden');
const NS = `fs.${unique('t')}`;
const servers: TestServer[] = [];
let server: TestServer;

beforeAll(async () => {
  mkdirSync(allowed);
  mkdirSync(forbidden);
  server = await startServer({ env: { BATON_ALLOWED_PATHS: `/nonexistent:${allowed}` } });
  servers.push(server);
});
afterAll(async () => {
  for (const s of servers) await s.dispose();
  rmSync(root, { recursive: true, force: true });
});

const folder = (name: string) => {
  const dir = join(allowed, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** A flow whose task `content` returns the content of the file `index` it got (a copy in storage). */
const flow = (id: string, trigger: string, index = 0) => `id: ${id}
namespace: ${NS}
tasks:
  - id: content
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(trigger.files[${index}].uri) }}"
triggers:
  - id: watch
${trigger}`;

/** Resolves after the trigger was polled `n` more times (each poll writes a new next date). */
const polls = async (s: TestServer, flowId: string, n: number) => {
  const read = async () => {
    const body = (await (await s.request(`/api/v1/triggers/${NS}/${flowId}`)).json()) as {
      results: { nextExecutionDate?: string; triggerContext?: { nextExecutionDate?: string } }[];
    };
    const r = body.results[0];
    return r?.nextExecutionDate ?? r?.triggerContext?.nextExecutionDate ?? undefined;
  };
  const seen = new Set([await read()]);
  await eventually(async () => {
    seen.add(await read());
    return seen.size > n ? true : undefined;
  }, `${n} polls of ${flowId}`);
};

/** The output of the task `content` (read from the full execution: the search leaves outputs out). */
const contentOf = async (e: FoundExecution) => {
  const full = (await (await server.request(`/api/v1/executions/${e.id}`)).json()) as FoundExecution;
  return full.taskRunList?.find((t) => t.taskId === 'content')?.outputs?.value;
};

type Files = { name: string; localPath: string; uri: string; size: number }[];

describe('io.kestra.plugin.fs.local.Trigger', () => {
  it('MOVE, recursive: takes the files of sub-folders, moves them once the execution is stored', async () => {
    const dir = folder('move');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.csv'), 'a,1\n');
    writeFileSync(join(dir, 'sub', 'b.csv'), 'b,2\n');
    const archive = join(allowed, 'archive');
    await deployFlow(
      server,
      flow(
        'move',
        `    type: io.kestra.plugin.fs.local.Trigger
    from: ${dir}
    interval: PT1S
    recursive: true
    action: MOVE
    moveDirectory: ${archive}
`,
        1,
      ),
    );
    const [e] = await waitExecutions(server, NS, 'move', 1);
    const files = e!.trigger!.variables.files as Files;
    expect(files.map((f) => f.localPath)).toEqual([join(dir, 'a.csv'), join(dir, 'sub', 'b.csv')]);
    expect(await contentOf(e!)).toBe('b,2\n');
    await eventually(async () => (existsSync(join(archive, 'sub', 'b.csv')) ? true : undefined), 'the move');
    expect(readFileSync(join(archive, 'a.csv'), 'utf8')).toBe('a,1\n');
    expect(existsSync(join(dir, 'a.csv'))).toBe(false);
  });

  it('DELETE with maxFiles: at most maxFiles per execution, each file deleted after', async () => {
    const dir = folder('delete');
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `f${n}.txt`), `${n}`);
    await deployFlow(
      server,
      flow(
        'delete',
        `    type: io.kestra.plugin.fs.local.Trigger
    from: ${dir}
    interval: PT1S
    action: DELETE
    maxFiles: 2
`,
      ),
    );
    const found = await waitExecutions(server, NS, 'delete', 2);
    const counts = found.map((e) => (e.trigger!.variables.files as Files).length).sort();
    expect(counts).toEqual([1, 2]);
    await eventually(async () => (existsSync(join(dir, 'f3.txt')) ? undefined : true), 'the deletions');
    expect(existsSync(join(dir, 'f1.txt'))).toBe(false);
  });

  it('NONE: a file is taken once, and again only when it changes; a half-written file waits', async () => {
    const dir = folder('none');
    await deployFlow(
      server,
      flow(
        'none',
        `    type: io.kestra.plugin.fs.local.Trigger
    from: ${dir}
    interval: PT1S
`,
      ),
    );
    const file = join(dir, 'growing.log');
    // The writer appends between polls: the size differs at each look, so the file is not taken.
    for (let chunk = 1; chunk <= 3; chunk++) {
      appendFileSync(file, `chunk ${chunk}\n`);
      await polls(server, 'none', 1);
    }
    expect(await executionsOf(server, NS, 'none')).toEqual([]);
    const [e] = await waitExecutions(server, NS, 'none', 1);
    expect(await contentOf(e!)).toBe('chunk 1\nchunk 2\nchunk 3\n');
    await polls(server, 'none', 3);
    expect(await executionsOf(server, NS, 'none')).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
    appendFileSync(file, 'chunk 4\n');
    await waitExecutions(server, NS, 'none', 2);
  });

  it('refuses a folder outside the allowed paths, also through ..', async () => {
    writeFileSync(join(forbidden, 'secret.txt'), 'no');
    for (const [id, from] of [
      ['outside', forbidden],
      ['escape', join(allowed, '..', 'forbidden')],
    ] as const) {
      await deployFlow(
        server,
        flow(id, `    type: io.kestra.plugin.fs.local.Trigger\n    from: ${from}\n    interval: PT1S\n`),
      );
      await polls(server, id, 2);
      expect(await executionsOf(server, NS, id)).toEqual([]);
    }
    expect(server.output()).toContain("is not under the server's allowed paths");
    expect(existsSync(join(forbidden, 'secret.txt'))).toBe(true);
  });
});

describe('io.kestra.plugin.fs.local.RealtimeTrigger', () => {
  it('starts one execution per file created, with the whole file once written', async () => {
    const dir = folder('realtime');
    await deployFlow(
      server,
      `id: realtime
namespace: ${NS}
tasks:
  - id: content
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(trigger.file.uri) }}"
triggers:
  - id: watch
    type: io.kestra.plugin.fs.local.RealtimeTrigger
    from: ${dir}
    on: CREATE
`,
    );
    // The watcher is up once the trigger's consumer started: seen in the server's log.
    await eventually(
      async () => (server.output().includes(`${NS}/realtime/watch`) ? true : undefined),
      'the realtime trigger started',
    );
    writeFileSync(join(dir, 'event.json'), '{"a":');
    appendFileSync(join(dir, 'event.json'), '1}');
    const [e] = await waitExecutions(server, NS, 'realtime', 1);
    expect(e!.trigger!.variables.event).toBe('CREATE');
    const file = e!.trigger!.variables.file as Files[number];
    expect(file.name).toBe('event.json');
    expect(await contentOf(e!)).toBe('{"a":1}');
  });

  it('refuses a folder outside the allowed paths', async () => {
    await deployFlow(
      server,
      `id: rt_outside\nnamespace: ${NS}\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.debug.Return\n    format: x\ntriggers:\n  - id: watch\n    type: io.kestra.plugin.fs.local.RealtimeTrigger\n    from: ${forbidden}\n`,
    );
    await eventually(
      async () =>
        server
          .output()
          .split('\n')
          .some((l) => l.includes('rt_outside') && l.includes('allowed paths'))
          ? true
          : undefined,
      'the refusal in the log',
    );
  });
});

describe('examples/file-drop-etl.yaml', () => {
  it('loads a dropped CSV into Redis and archives it', async () => {
    const incoming = folder('etl-in');
    const archive = join(allowed, 'etl-archive');
    const key = `baton:${unique('etl')}`;
    const source = readFileSync(new URL('../../examples/file-drop-etl.yaml', import.meta.url), 'utf8')
      .replace('namespace: baton.examples', `namespace: ${NS}`)
      .replace('from: /data/incoming', `from: ${incoming}`)
      .replace('moveDirectory: /data/archive', `moveDirectory: ${archive}`)
      .replace('interval: PT10S', 'interval: PT1S')
      .replace('key: orders', `key: ${key}`);
    await deployFlow(server, source);
    writeFileSync(join(incoming, 'orders.csv'), 'id,amount\n1,10\n2,32\n');
    writeFileSync(join(incoming, 'notes.txt'), 'not a csv');
    const [e] = await waitExecutions(server, NS, 'file-drop-etl', 1);
    expect(e!.state.current).toBe('SUCCESS');
    const redis = new Redis('redis://127.0.0.1:6379/0');
    try {
      expect(await redis.lrange(key, 0, -1)).toEqual(['2,32', '1,10']);
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
    await eventually(async () => (existsSync(join(archive, 'orders.csv')) ? true : undefined), 'the archive');
    expect(existsSync(join(incoming, 'notes.txt'))).toBe(true);
  });
});

describe('a file trigger killed before its action', () => {
  it('leaves the file in place, taken again and deleted after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-fs-crash-'));
    const env = { BATON_ALLOWED_PATHS: allowed };
    try {
      const dir = folder('crash');
      writeFileSync(join(dir, 'precious.txt'), 'keep me');
      const first = await startServer({
        dataDir,
        env: { ...env, BATON_TEST_CRASH_BEFORE_ACK: 'io.kestra.plugin.fs.local.Trigger' },
      });
      servers.push(first);
      await deployFlow(
        first,
        flow(
          'crash',
          `    type: io.kestra.plugin.fs.local.Trigger\n    from: ${dir}\n    interval: PT1S\n    action: DELETE\n`,
        ),
      );
      await first.exited;
      expect(first.child.signalCode).toBe('SIGKILL');
      expect(existsSync(join(dir, 'precious.txt'))).toBe(true);
      const second = await startServer({ dataDir, env });
      servers.push(second);
      await waitExecutions(second, NS, 'crash', 2);
      await eventually(
        async () => (existsSync(join(dir, 'precious.txt')) ? undefined : true),
        'the deletion',
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
