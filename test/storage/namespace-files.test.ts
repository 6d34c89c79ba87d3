/** Namespace files in internal storage (Kestra's `_files` layout) and Kestra's path patterns. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../src/storage/local.ts';
import { NamespaceFiles } from '../../src/storage/namespace-files.ts';
import { pathMatcher } from '../../src/storage/path-matcher.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-nsfiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pathMatcher (Kestra PathMatcherPredicate)', () => {
  const matching = (patterns: string[], paths: string[], base?: string) =>
    paths.filter(pathMatcher(patterns, base));
  const paths = ['/a.txt', '/dir/a.txt', '/dir/sub/a.txt', '/dir/b.csv', '/other/input.txt'];

  it('a bare name starting with a word character matches at any depth', () => {
    expect(matching(['a.txt'], paths)).toEqual(['/a.txt', '/dir/a.txt', '/dir/sub/a.txt']);
  });
  it('`*` stays in one folder, `**` crosses folders, even inside a name', () => {
    expect(matching(['/dir/*.txt'], paths)).toEqual(['/dir/a.txt']);
    expect(matching(['/dir/**'], paths)).toEqual(['/dir/a.txt', '/dir/sub/a.txt', '/dir/b.csv']);
    expect(matching(['**input.txt'], paths)).toEqual(['/other/input.txt']);
    expect(matching(['/dir/*.{csv,json}'], paths)).toEqual(['/dir/b.csv']);
  });
  it('glob: and regex: prefixes are taken as written', () => {
    expect(matching(['glob:**/sub/**'], paths)).toEqual(['/dir/sub/a.txt']);
    expect(matching(['regex:.*\\.csv'], paths)).toEqual(['/dir/b.csv']);
  });
  it('a base folder chroots bare patterns', () => {
    expect(matching(['*.txt'], ['/work/a.txt', '/work/x/a.txt', '/elsewhere/a.txt'], '/work')).toEqual([
      '/work/a.txt',
    ]);
  });
});

describe('NamespaceFiles', () => {
  const storage = new LocalStorage(join(dir, 'storage'));
  const files = new NamespaceFiles(storage, 'company.team');

  it('stores files under <namespace>/_files with their folders, lists them as /paths', async () => {
    const uri = await files.put('/scripts/run.sh', 'echo hi');
    expect(uri).toBe('kestra:///company/team/_files/scripts/run.sh');
    await files.put('readme.md', '# hi');
    expect(await files.list()).toEqual(['/readme.md', '/scripts/run.sh']);
    expect((await files.get('scripts/run.sh')).toString()).toBe('echo hi');
    // Another namespace's files, and a sub-namespace's, are not listed.
    await new NamespaceFiles(storage, 'company.team.sub').put('/x.txt', 'x');
    await new NamespaceFiles(storage, 'company').put('/y.txt', 'y');
    expect(await files.list()).toEqual(['/readme.md', '/scripts/run.sh']);
  });

  it('conflict: OVERWRITE replaces, SKIP keeps, ERROR refuses', async () => {
    await files.put('/c.txt', 'one');
    expect(await files.put('/c.txt', 'two', 'SKIP')).toBeUndefined();
    expect((await files.get('/c.txt')).toString()).toBe('one');
    await expect(files.put('/c.txt', 'two', 'ERROR')).rejects.toThrow(/already exists.*OVERWRITE or SKIP/);
    await files.put('/c.txt', 'two');
    expect((await files.get('/c.txt')).toString()).toBe('two');
    expect(await files.delete('/c.txt')).toBe(true);
    expect(await files.delete('/c.txt')).toBe(false);
  });

  it('refuses paths that leave the namespace folder', async () => {
    await expect(files.put('/../../../escape.txt', 'x')).rejects.toThrow(/not allowed/);
    expect(() => files.uri('/')).toThrow(/names no file/);
  });
});
