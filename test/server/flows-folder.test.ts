/**
 * `baton server --flows DIR` with a real folder: the flows are loaded at start (sub-folders too), a
 * changed file becomes a new revision, an invalid file is reported in the log with file, line and field
 * while the last good revision stays, and a removed file deletes its flow.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

const flow = (id: string, message: string) =>
  `id: ${id}\nnamespace: folder.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

/** Polls `check` until it holds: the watcher reacts after its debounce, in its own time. */
const eventually = async (check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('baton server --flows DIR', () => {
  let dir: string;
  let server: TestServer;
  const get = async (id: string) => {
    const r = await server.request(`/api/v1/flows/folder.team/${id}?source=true`);
    return r.status === 200 ? ((await r.json()) as { revision: number; source: string }) : undefined;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-flows-folder-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.yaml'), flow('a', 'one'));
    writeFileSync(join(dir, 'sub', 'b.yml'), flow('b', 'one'));
    writeFileSync(join(dir, 'notes.txt'), 'not a flow');
    server = await startServer({ args: ['--flows', dir] });
  });
  afterAll(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads every flow file of the folder at start', async () => {
    expect(await get('a')).toMatchObject({ revision: 1, source: flow('a', 'one') });
    expect(await get('b')).toMatchObject({ revision: 1, source: flow('b', 'one') });
  });

  it('makes a changed file a new revision, keeps the last good one for an invalid file, and reports it', async () => {
    writeFileSync(join(dir, 'a.yaml'), flow('a', 'two'));
    await eventually(async () => (await get('a'))?.revision === 2, 'revision 2 of a');
    expect((await get('a'))?.source).toBe(flow('a', 'two'));

    // Line 5: the task's type is unknown.
    writeFileSync(join(dir, 'a.yaml'), flow('a', 'three').replace('core.log.Log', 'core.log.Lgo'));
    await eventually(
      () => server.output().includes('invalid flow file a.yaml:5'),
      'the invalid file in the log',
    );
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('invalid flow file a.yaml:5'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ file: 'a.yaml', line: 5, field: 'tasks[0].type' });
    expect(await get('a')).toMatchObject({ revision: 2, source: flow('a', 'two') });

    writeFileSync(join(dir, 'a.yaml'), flow('a', 'four'));
    await eventually(async () => (await get('a'))?.revision === 3, 'revision 3 of a');

    // The same text written again is no new revision.
    writeFileSync(join(dir, 'sub', 'b.yml'), flow('b', 'one'));
    writeFileSync(join(dir, 'a.yaml'), flow('a', 'five'));
    await eventually(async () => (await get('a'))?.revision === 4, 'revision 4 of a');
    expect((await get('b'))?.revision).toBe(1);
  });

  it('deletes the flow of a removed file', async () => {
    unlinkSync(join(dir, 'sub', 'b.yml'));
    await eventually(async () => (await get('b')) === undefined, 'b deleted');
    expect(await get('a')).toBeDefined();
  });

  it('refuses a --flows path that is not a folder', async () => {
    await expect(startServer({ args: ['--flows', join(dir, 'missing')] })).rejects.toThrow(/is not a folder/);
  });
});
