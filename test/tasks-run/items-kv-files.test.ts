/** Item-file tasks (FilterItems, DeduplicateItems, Reverse), PurgeKV and UploadFiles, run directly. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NamespaceFiles } from '../../src/storage/namespace-files.ts';
import { saveStorageFile } from '../../src/tasks/files.ts';
import { run as purgeFlows } from '../../src/tasks/flow/purge-flows.run.ts';
import { run as purgeKv } from '../../src/tasks/kv/purge-kv.run.ts';
import { run as kvPut } from '../../src/tasks/kv/put.run.ts';
import { run as purgeFiles } from '../../src/tasks/namespace/purge-files.run.ts';
import { run as uploadFiles } from '../../src/tasks/namespace/upload-files.run.ts';
import { run as dedup } from '../../src/tasks/storage/deduplicate-items.run.ts';
import { run as filterItems } from '../../src/tasks/storage/filter-items.run.ts';
import { parseIon } from '../../src/tasks/storage/ion.ts';
import { run as reverse } from '../../src/tasks/storage/reverse.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.dispose());

const ION = '{id:1,name:"apple",at:2024-01-01T00:00:00Z}\n{id:2,name:"pear"}\n{id:3,name:\'apple\'}\n';
const file = async (content: string, name = 'items.ion') => saveStorageFile(h.context().ctx, name, content);
const read = async (uri: unknown) => (await h.storage.get(String(uri))).toString();

describe('item files', () => {
  it('reads Kestra Ion lines', () => {
    expect(parseIon('{id:1,name:"a",at:2024-01-01T00:00:00Z,ok:true,n:null.int,d:1.5d0,l:[1,two]}')).toEqual({
      id: 1,
      name: 'a',
      at: '2024-01-01T00:00:00Z',
      ok: true,
      n: null,
      d: 1.5,
      l: [1, 'two'],
    });
    expect(parseIon('tag::{\'quoted key\':"x\\ny"}')).toEqual({ 'quoted key': 'x\ny' });
    expect(() => parseIon('{id:1')).toThrow(/missing '}'/);
  });

  it('FilterItems keeps or drops matching items as written; null results follow errorOrNullBehavior', async () => {
    const from = await file(ION);
    const keep = await runWith(filterItems, h.context().ctx, {
      from,
      filterCondition: "{{ name == 'apple' }}",
    });
    expect(keep.outputs).toMatchObject({ processedItemsTotal: 3, droppedItemsTotal: 1 });
    expect(await read(keep.outputs?.uri)).toBe(
      '{id:1,name:"apple",at:2024-01-01T00:00:00Z}\n{id:3,name:\'apple\'}\n',
    );
    const drop = await runWith(filterItems, h.context().ctx, {
      from,
      filterCondition: '{{ id > 1 }}',
      filterType: 'EXCLUDE',
    });
    expect(await read(drop.outputs?.uri)).toBe('{id:1,name:"apple",at:2024-01-01T00:00:00Z}\n');
    const nulls = { from, filterCondition: '{{ at ?? null }}' };
    await expect(runWith(filterItems, h.context().ctx, nulls)).rejects.toThrow(/returned null/);
    const included = await runWith(filterItems, h.context().ctx, {
      ...nulls,
      errorOrNullBehavior: 'INCLUDE',
    });
    expect(included.outputs).toMatchObject({ droppedItemsTotal: 0 });
  });

  it('DeduplicateItems keeps the last item of each key where it stood', async () => {
    const out = await runWith(dedup, h.context().ctx, { from: await file(ION), expr: '{{ name }}' });
    expect(out.outputs).toMatchObject({ numKeys: 2, processedItemsTotal: 3, droppedItemsTotal: 1 });
    expect(await read(out.outputs?.uri)).toBe('{id:2,name:"pear"}\n{id:3,name:\'apple\'}\n');
  });

  it('Reverse writes the lines backwards', async () => {
    const out = await runWith(reverse, h.context().ctx, { from: await file('a\nb\nc\n', 'x.txt') });
    expect(await read(out.outputs?.uri)).toBe('c\nb\na\n');
  });
});

describe('kv.PurgeKV', () => {
  const keys = async (ns: string) => (await h.store.kvList(ns)).map((e) => e.key);
  it('deletes expired keys only by default, in the namespaces and children asked', async () => {
    await h.store.kvSet('p', 'live', 1);
    await h.store.kvSet('p', 'gone', 1, { ttlMs: -1 });
    await h.store.kvSet('p.child', 'gone', 1, { ttlMs: -1 });
    await h.store.kvSet('px', 'gone', 1, { ttlMs: -1 });
    const out = await runWith(purgeKv, h.context().ctx, { namespaces: ['p'] });
    expect(out.outputs).toEqual({ size: 2 });
    expect(
      (await h.store.kvScan())
        .filter((e) => e.namespace.startsWith('p'))
        .map((e) => `${e.namespace}/${e.key}`),
    ).toEqual(['p/live', 'px/gone']);
  });

  it('with expiredOnly false, keyPattern and without children; never Baton state', async () => {
    await h.store.kvSet('q', 'AI_one', 1);
    await h.store.kvSet('q', 'other', 1);
    await h.store.kvSet('q.child', 'AI_two', 1);
    await h.store.kvSet('__baton_trigger_toggles', 'q/f/t', { disabled: true });
    const out = await runWith(purgeKv, h.context().ctx, {
      namespaces: ['q'],
      includeChildNamespaces: false,
      keyPattern: 'AI_*',
      behavior: { type: 'key', expiredOnly: false },
    });
    expect(out.outputs).toEqual({ size: 1 });
    expect(await keys('q')).toEqual(['other']);
    expect(await keys('q.child')).toEqual(['AI_two']);
    await runWith(purgeKv, h.context().ctx, { expiredOnly: false, namespacePattern: 'q*' });
    expect([...(await keys('q')), ...(await keys('q.child'))]).toEqual([]);
    expect(await keys('__baton_trigger_toggles')).toEqual(['q/f/t']);
  });
});

describe('namespace.UploadFiles', () => {
  it('uploads working-folder files matching the patterns, at their relative path under destination', async () => {
    const { ctx } = h.context();
    mkdirSync(join(ctx.workingDir, 'dbt', 'models'), { recursive: true });
    writeFileSync(join(ctx.workingDir, 'dbt', 'models', 'm.sql'), 'select 1');
    writeFileSync(join(ctx.workingDir, 'notes.txt'), 'no');
    const out = await runWith(uploadFiles, ctx, {
      namespace: 'up.ns',
      files: ['glob:**/dbt/**'],
      destination: '/proj',
    });
    expect(Object.keys(out.outputs?.files as object)).toEqual(['/proj/dbt/models/m.sql']);
    const ns = new NamespaceFiles(h.storage, 'up.ns');
    expect((await ns.get('/proj/dbt/models/m.sql')).toString()).toBe('select 1');
    await expect(
      runWith(uploadFiles, ctx, {
        namespace: 'up.ns',
        files: ['**.sql'],
        destination: '/proj',
        conflict: 'ERROR',
      }),
    ).rejects.toThrow(/already exists/);
    const skipped = await runWith(uploadFiles, ctx, {
      namespace: 'up.ns',
      filesMap: { '/proj/dbt/models/m.sql': 'x' },
      conflict: 'SKIP',
    });
    expect(skipped.outputs?.files).toEqual({});
  });
});

describe('flow.PurgeFlows', () => {
  const revisions = async (ns: string, id: string) =>
    (await h.store.listRevisions(ns, id)).map((r) => r.revision);
  it('keeps keepAmount revisions (the latest always), of the flows matching the patterns', async () => {
    for (const v of [1, 2, 3]) await h.store.saveFlow('pf.team', 'keep_me', `id: keep_me # v${v}`);
    for (const v of [1, 2]) await h.store.saveFlow('pf', 'old_deprecated', `id: old_deprecated # v${v}`);
    for (const v of [1, 2]) await h.store.saveFlow('other', 'untouched', `id: untouched # v${v}`);
    const keep2 = await runWith(purgeFlows, h.context().ctx, {
      namespaces: ['pf'],
      behavior: { type: 'version', keepAmount: 2 },
    });
    expect(keep2.outputs).toEqual({ size: 1 });
    expect(await revisions('pf.team', 'keep_me')).toEqual([2, 3]);
    const pattern = await runWith(purgeFlows, h.context().ctx, {
      namespaces: ['pf'],
      flowPattern: '*_deprecated',
    });
    expect(pattern.outputs).toEqual({ size: 1 });
    expect(await revisions('pf', 'old_deprecated')).toEqual([2]);
    expect(await revisions('pf.team', 'keep_me')).toEqual([2, 3]);
    const before = await runWith(purgeFlows, h.context().ctx, {
      namespaces: ['pf'],
      includeChildNamespaces: false,
      behavior: { type: 'version', before: '2000-01-01T00:00:00Z' },
    });
    expect(before.outputs).toEqual({ size: 0 });
    expect(await revisions('other', 'untouched')).toEqual([1, 2]);
  });
});

describe('kv.Put', () => {
  const value = async (key: string) => (await h.store.kvGet('company.team', key))?.value;
  it('deep-merges maps, patches dotted fields, replaces otherwise; keeps the expiry', async () => {
    const { ctx } = h.context();
    await h.store.kvSet('company.team', 'cfg', { a: { x: 1 }, keep: true }, { ttlMs: 3_600_000 });
    await runWith(kvPut, ctx, { key: 'cfg', value: { a: { y: 2 } } });
    expect(await value('cfg')).toEqual({ a: { x: 1, y: 2 }, keep: true });
    await runWith(kvPut, ctx, {
      key: 'cfg',
      value: [
        { key: 'a.z', value: 3 },
        { key: 'n', value: 'v' },
      ],
    });
    expect(await value('cfg')).toEqual({ a: { x: 1, y: 2, z: 3 }, keep: true, n: 'v' });
    expect((await h.store.kvGet('company.team', 'cfg'))?.expiresAt).toBeDefined();
    await runWith(kvPut, ctx, { key: 'cfg', value: [{ value: 'whole' }] });
    expect(await value('cfg')).toBe('whole');
    await expect(runWith(kvPut, ctx, { key: 'cfg', value: [{ key: 'f', value: 1 }] })).rejects.toThrow(
      /not a JSON map/,
    );
  });
  it('creates a missing key unless errorOnMissing', async () => {
    const { ctx } = h.context();
    await runWith(kvPut, ctx, { key: 'fresh', value: 'v' });
    expect(await value('fresh')).toBe('v');
    await expect(runWith(kvPut, ctx, { key: 'absent', value: 'v', errorOnMissing: true })).rejects.toThrow(
      /no value found/,
    );
  });
});

describe('namespace.PurgeFiles', () => {
  it('keeps the latest version unless the behavior keeps none; scope and pattern narrow', async () => {
    const team = new NamespaceFiles(h.storage, 'pfiles.team');
    const other = new NamespaceFiles(h.storage, 'pfiles.other');
    await team.put('/a.sql', 'a');
    await team.put('/b.txt', 'b');
    await other.put('/c.sql', 'c');
    const { ctx } = h.context();
    const scope = { namespaces: ['pfiles.team'], filePattern: '**/*.sql' };
    expect((await runWith(purgeFiles, ctx, scope)).outputs).toEqual({ size: 0 });
    expect(
      (await runWith(purgeFiles, ctx, { ...scope, behavior: { type: 'version', keepAmount: 1 } })).outputs,
    ).toEqual({ size: 0 });
    expect((await runWith(purgeFiles, ctx, { ...scope, behavior: { type: 'version' } })).outputs).toEqual({
      size: 1,
    });
    expect(await team.list()).toEqual(['/b.txt']);
    expect(await other.list()).toEqual(['/c.sql']);
  });
});
