import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFlowDirectory, loadFlowPaths } from '../../src/flow/index.ts';

describe('load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-flows-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(
    join(dir, 'a.yaml'),
    'id: a\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n',
  );
  writeFileSync(join(dir, 'sub', 'b.yml'), 'id: b\nnamespace: n\ntasks: []\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a flow');

  it('reads *.yaml and *.yml recursively, valid or not', () => {
    const loaded = loadFlowDirectory(dir);
    expect(loaded.map((l) => [l.file.slice(dir.length + 1), l.flow?.id, l.errors.length])).toEqual([
      ['a.yaml', 'a', 0],
      ['sub/b.yml', undefined, 1],
    ]);
    expect(loaded[1]?.errors[0]?.file).toBe(join(dir, 'sub', 'b.yml'));
  });

  it('reports a missing path as an error entry', () => {
    const [missing] = loadFlowPaths([join(dir, 'missing.yaml')]);
    expect(missing?.errors[0]?.message).toContain('cannot read the file');
  });
});
