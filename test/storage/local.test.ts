import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  executionFolderUri,
  keyToUri,
  LocalStorage,
  parseUri,
  StorageNotFoundError,
  StoragePathError,
} from '../../src/storage/index.ts';

const base = mkdtempSync(join(tmpdir(), 'baton-storage-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

const taskKey = {
  namespace: 'company.team',
  flowId: 'etl',
  executionId: 'exec1',
  taskId: 'download',
  taskRunId: 'tr1',
  fileName: 'data.csv',
};

describe('storage URIs', () => {
  it('follows Kestra layout for task files and FILE inputs', () => {
    expect(keyToUri(taskKey)).toBe('kestra:///company/team/etl/executions/exec1/tasks/download/tr1/data.csv');
    expect(
      keyToUri({ namespace: 'a', flowId: 'f', executionId: 'e', inputId: 'upload', fileName: 'my file.txt' }),
    ).toBe('kestra:///a/f/executions/e/inputs/upload/my%20file.txt');
    expect(executionFolderUri(taskKey)).toBe('kestra:///company/team/etl/executions/exec1/');
  });

  it('parses and decodes, refusing anything that could leave the root', () => {
    expect(parseUri('kestra:///a/b/my%20file.txt')).toEqual(['a', 'b', 'my file.txt']);
    for (const bad of [
      'kestra:///a/../b',
      'kestra:///a/%2e%2e/b',
      'kestra:///a/%2E%2E/b',
      'kestra:///a/./b',
      'kestra:///a//b',
      'kestra:///a/b%2fc',
      'kestra:///a/b%5cc',
      'kestra:///a/b%00c',
      'kestra:///a/b\0c',
      'kestra:///a/%zz',
      'kestra:///',
    ]) {
      expect(() => parseUri(bad), bad).toThrow(StoragePathError);
    }
    for (const notOurs of ['/etc/passwd', 'file:///etc/passwd', 'kestra://host/a', 'a/b', '../x', '']) {
      expect(() => parseUri(notOurs), notOurs).toThrow(/Not an internal storage URI/);
    }
    expect(() => keyToUri({ ...taskKey, fileName: '../x' })).toThrow(StoragePathError);
    expect(() => keyToUri({ ...taskKey, namespace: 'a..b' })).toThrow(StoragePathError);
    expect(() => keyToUri({ ...taskKey, taskRunId: '/abs' })).toThrow(StoragePathError);
  });
});

describe('LocalStorage', () => {
  let root: string;
  let storage: LocalStorage;
  beforeEach(() => {
    root = join(base, `root-${++n}`);
    storage = new LocalStorage(root);
  });

  it('puts and reads back buffers, strings and streams', async () => {
    const uri = await storage.put(taskKey, 'a,b\n1,2\n');
    expect(uri).toBe(keyToUri(taskKey));
    expect((await storage.get(uri)).toString()).toBe('a,b\n1,2\n');
    expect(await storage.size(uri)).toBe(8);
    expect(await storage.exists(uri)).toBe(true);

    const bin = Buffer.from([0, 1, 2, 255]);
    const u2 = await storage.put('kestra:///company/team/etl/executions/exec1/tasks/t/tr2/bin.dat', bin);
    expect(await storage.get(u2)).toEqual(bin);

    const u3 = await storage.put(
      ['company', 'team', 'etl', 'executions', 'exec1', 'tasks', 't', 'tr3', 'stream.txt'],
      Readable.from(['x'.repeat(100_000), 'y']),
    );
    expect(await storage.size(u3)).toBe(100_001);
    const chunks: Buffer[] = [];
    for await (const c of storage.createReadStream(u3)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).length).toBe(100_001);

    // overwrite
    await storage.put(uri, 'new');
    expect((await storage.get(uri)).toString()).toBe('new');
  });

  it('reports missing files clearly and lists files under a prefix', async () => {
    const missing = 'kestra:///a/f/executions/e/tasks/t/r/none.txt';
    await expect(storage.get(missing)).rejects.toThrow(StorageNotFoundError);
    await expect(storage.size(missing)).rejects.toThrow(/No file in internal storage/);
    expect(() => storage.createReadStream(missing)).toThrow(StorageNotFoundError);
    expect(await storage.exists(missing)).toBe(false);
    // a folder is not a file
    await storage.put(taskKey, 'x');
    await expect(storage.get('kestra:///company/team')).rejects.toThrow(StorageNotFoundError);

    await storage.put({ ...taskKey, fileName: 'b.txt' }, 'b');
    await storage.put({ ...taskKey, executionId: 'exec2' }, 'c');
    await storage.put(
      { namespace: 'other', flowId: 'f', executionId: 'e', inputId: 'i', fileName: 'x' },
      'd',
    );
    expect(await storage.list('kestra:///company/team/etl/executions/exec1/')).toEqual([
      'kestra:///company/team/etl/executions/exec1/tasks/download/tr1/b.txt',
      'kestra:///company/team/etl/executions/exec1/tasks/download/tr1/data.csv',
    ]);
    expect(await storage.list('kestra:///company/team')).toHaveLength(3);
    expect(await storage.list('kestra:///')).toHaveLength(4);
    expect(await storage.list('kestra:///nothing/here/')).toEqual([]);
  });

  it('deletes files and whole executions', async () => {
    const a = await storage.put(taskKey, 'a');
    const b = await storage.put({ ...taskKey, executionId: 'exec2' }, 'b');
    const input = await storage.put(
      { namespace: 'company.team', flowId: 'etl', executionId: 'exec1', inputId: 'in', fileName: 'f' },
      'i',
    );
    expect(await storage.delete(b)).toBe(true);
    expect(await storage.delete(b)).toBe(false);
    await expect(storage.delete('kestra:///company/team')).rejects.toThrow(/folder/);
    const ref = { namespace: 'company.team', flowId: 'etl', executionId: 'exec1' };
    expect(await storage.deleteExecutionFiles(ref, { ...ref, executionId: 'unknown' })).toBe(1);
    expect(await storage.exists(a)).toBe(false);
    expect(await storage.exists(input)).toBe(false);
    const c = await storage.putTaskFile(
      { ...ref, executionId: 'exec3', taskId: 't', taskRunId: 'r' },
      'out.txt',
      'c',
    );
    expect(c).toBe('kestra:///company/team/etl/executions/exec3/tasks/t/r/out.txt');
    const d = await storage.putInputFile({ ...ref, executionId: 'exec3', inputId: 'in' }, 'f.bin', 'd');
    expect(d).toBe('kestra:///company/team/etl/executions/exec3/inputs/in/f.bin');
    expect(await storage.deleteExecutionFiles('company.team', 'etl', 'exec3')).toBe(1);
    expect(await storage.list('kestra:///company/')).toEqual([]);
  });

  it('refuses paths that leave the root: .., absolute, encoded, NUL, non-kestra URIs', async () => {
    for (const bad of [
      'kestra:///../outside.txt',
      'kestra:///a/%2e%2e/%2e%2e/outside.txt',
      'kestra:///a/b%00.txt',
      '/etc/passwd',
      'file:///etc/passwd',
      `${root}/x`,
    ]) {
      await expect(storage.put(bad, 'x'), bad).rejects.toThrow(StoragePathError);
      await expect(storage.get(bad), bad).rejects.toThrow(StoragePathError);
      await expect(storage.size(bad), bad).rejects.toThrow(StoragePathError);
    }
    await expect(storage.put(['..', 'x'], 'x')).rejects.toThrow(StoragePathError);
    await expect(storage.put(['/etc', 'x'], 'x')).rejects.toThrow(StoragePathError);
    await expect(storage.put({ ...taskKey, fileName: '../../x' }, 'x')).rejects.toThrow(StoragePathError);
    await expect(storage.list('kestra:///../')).rejects.toThrow(StoragePathError);
  });

  it('refuses to follow symbolic links out of the root', async () => {
    const outside = join(base, `outside-${n}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    mkdirSync(join(root, 'ns'), { recursive: true });
    symlinkSync(outside, join(root, 'ns', 'link'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'ns', 'file-link'));
    await expect(storage.get('kestra:///ns/link/secret.txt')).rejects.toThrow(/outside the storage root/);
    await expect(storage.get('kestra:///ns/file-link')).rejects.toThrow(/outside the storage root/);
    await expect(storage.size('kestra:///ns/file-link')).rejects.toThrow(StoragePathError);
    await expect(storage.put('kestra:///ns/link/new.txt', 'x')).rejects.toThrow(/outside the storage root/);
    await expect(storage.put('kestra:///ns/link/deeper/new.txt', 'x')).rejects.toThrow(
      /outside the storage root/,
    );
    // writing at a symlink's name replaces the link, never the file it points to
    await storage.put('kestra:///ns/file-link', 'mine');
    expect((await storage.get('kestra:///ns/file-link')).toString()).toBe('mine');
    expect((await new LocalStorage(outside).get('kestra:///secret.txt')).toString()).toBe('secret');
    // deleting a link removes the link only
    symlinkSync(join(outside, 'secret.txt'), join(root, 'ns', 'link2'));
    expect(await storage.delete('kestra:///ns/link2')).toBe(true);
    expect((await new LocalStorage(outside).get('kestra:///secret.txt')).toString()).toBe('secret');
    expect(await storage.list('kestra:///ns/')).toEqual(['kestra:///ns/file-link']);
  });
});
