import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as fetchRun } from '../../src/tasks/log/fetch.run.ts';
import { run as concatRun } from '../../src/tasks/storage/concat.run.ts';
import { run as deleteRun } from '../../src/tasks/storage/delete.run.ts';
import { run as localFilesRun } from '../../src/tasks/storage/local-files.run.ts';
import { run as sizeRun } from '../../src/tasks/storage/size.run.ts';
import { run as splitRun } from '../../src/tasks/storage/split.run.ts';
import { run as writeRun } from '../../src/tasks/storage/write.run.ts';
import { run as templatedRun } from '../../src/tasks/templating/templated-task.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.dispose());

const text = async (uri: unknown) => (await h.storage.get(String(uri))).toString('utf8');

describe('storage tasks', () => {
  it('Write, Size, Concat, Delete', async () => {
    const { ctx } = h.context();
    const a = (await runWith(writeRun, ctx, { content: 'a\nb\n', extension: '.txt' })).outputs?.uri as string;
    expect(a).toMatch(/^kestra:\/\/\/company\/team\/hello\/executions\/exec1\/tasks\/t\/.+\.txt$/);
    expect(await text(a)).toBe('a\nb\n');
    expect((await runWith(sizeRun, ctx, { uri: a })).outputs).toEqual({ size: 4 });
    const b = (await runWith(writeRun, ctx, { content: 'c\n' })).outputs?.uri as string;
    const both = await runWith(concatRun, ctx, { files: JSON.stringify([a, b]), separator: '--\n' });
    expect(await text(both.outputs?.uri)).toBe('a\nb\n--\nc\n');
    expect((await runWith(deleteRun, ctx, { uri: b })).outputs).toEqual({ uri: b });
    expect(await h.storage.exists(b)).toBe(false);
    await expect(runWith(deleteRun, ctx, { uri: b, errorOnMissing: true })).rejects.toThrow('Unable to find');
  });

  it('Split by rows, partitions and bytes', async () => {
    const { ctx } = h.context();
    const uri = (await runWith(writeRun, ctx, { content: '1\n2\n3\n4\n5\n', extension: '.csv' })).outputs
      ?.uri;
    const byRows = (await runWith(splitRun, ctx, { from: uri, rows: 2 })).outputs?.uris as string[];
    expect(await Promise.all(byRows.map(text))).toEqual(['1\n2\n', '3\n4\n', '5\n']);
    const byParts = (await runWith(splitRun, ctx, { from: uri, partitions: 2 })).outputs?.uris as string[];
    expect(await Promise.all(byParts.map(text))).toEqual(['1\n3\n5\n', '2\n4\n']);
    const byBytes = (await runWith(splitRun, ctx, { from: uri, bytes: '4B' })).outputs?.uris as string[];
    expect(await Promise.all(byBytes.map(text))).toEqual(['1\n2\n', '3\n4\n', '5\n']);
    await expect(runWith(splitRun, ctx, { from: uri })).rejects.toThrow('exactly one');
  });

  it('LocalFiles writes inputs and saves outputs', async () => {
    const { ctx } = h.context();
    const seed = (await runWith(writeRun, ctx, { content: 'seeded' })).outputs?.uri;
    const out = await runWith(localFilesRun, h.context().ctx, {
      inputs: { 'in.txt': 'x', 'seed.txt': seed },
    });
    expect(out.outputs).toEqual({ uris: {} });
    const c2 = h.context();
    writeFileSync(join(c2.ctx.workingDir, 'result.json'), '{}');
    const saved = await runWith(localFilesRun, c2.ctx, {
      inputs: { 'seed.txt': seed },
      outputs: ['*.json', 'seed.txt'],
    });
    const uris = saved.outputs?.uris as Record<string, string>;
    expect(Object.keys(uris).sort()).toEqual(['result.json', 'seed.txt']);
    expect(await text(uris['seed.txt'])).toBe('seeded');
    expect(existsSync(join(c2.ctx.workingDir, 'seed.txt'))).toBe(true);
  });
});

describe('log.Fetch', () => {
  it('writes the execution logs at or above level to a file', async () => {
    const base = {
      executionId: 'exec1',
      namespace: 'company.team',
      flowId: 'hello',
      timestamp: new Date().toISOString(),
    };
    await h.store.appendLogs([
      { ...base, taskId: 'a', level: 'DEBUG', message: 'debug a' },
      { ...base, taskId: 'a', level: 'INFO', message: 'info a' },
      { ...base, taskId: 'b', level: 'ERROR', message: 'error b' },
    ]);
    const { ctx } = h.context();
    const all = await runWith(fetchRun, ctx, {});
    expect(all.outputs?.size).toBe(2);
    const lines = (await text(all.outputs?.uri))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.message)).toEqual(['info a', 'error b']);
    const onlyB = await runWith(fetchRun, ctx, { tasksId: ['b'], level: 'DEBUG' });
    expect(onlyB.outputs?.size).toBe(1);
  });
});

describe('templating.TemplatedTask', () => {
  it('runs the task described by the rendered spec', async () => {
    const { ctx, logs } = h.context();
    const out = await runWith(templatedRun, ctx, {
      spec: 'type: io.kestra.plugin.core.log.Log\nmessage: "templated {{ flow.id }}"\nlevel: WARN\n',
    });
    expect(out).toEqual({});
    expect(logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'templated hello' }));
    const ret = await runWith(templatedRun, ctx, {
      spec: 'type: io.kestra.plugin.core.debug.Return\nformat: "{{ 6 * 7 }}"',
    });
    expect(ret.outputs).toEqual({ value: '42' });
  });
  it('refuses flowable types and bad YAML', async () => {
    const { ctx } = h.context();
    await expect(
      runWith(templatedRun, ctx, { spec: 'type: io.kestra.plugin.core.flow.Sequential\ntasks: []' }),
    ).rejects.toThrow('not a runnable');
    await expect(runWith(templatedRun, ctx, { spec: 'type: [' })).rejects.toMatchObject({ retryable: false });
  });
});
