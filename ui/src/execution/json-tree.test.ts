import { describe, expect, it } from 'vitest';
import { isStorageUri, jsonRows, SEP } from './json-tree.ts';

const OUTPUTS = {
  count: 3,
  ok: true,
  nothing: null,
  uri: 'kestra:///company/team/flow/executions/x/tasks/t/out.csv',
  rows: [{ id: 1 }, { id: 2 }],
  nested: { 'a.b': { deep: 'value' } },
  empty: {},
};

describe('jsonRows', () => {
  it('shows the top level closed: branches with their size, leaves as JSON', () => {
    const rows = jsonRows(OUTPUTS, new Set());
    expect(rows.map((r) => [r.key, r.kind, r.text, r.expandable])).toEqual([
      ['count', 'number', '3', false],
      ['ok', 'boolean', 'true', false],
      ['nothing', 'null', 'null', false],
      ['uri', 'string', `"${OUTPUTS.uri}"`, false],
      ['rows', 'array', '[2]', true],
      ['nested', 'object', '{1}', true],
      ['empty', 'object', '{0}', false],
    ]);
    expect(rows.every((r) => r.depth === 0)).toBe(true);
  });

  it('walks into the open branches only, by path (keys with dots stay one key)', () => {
    const rows = jsonRows(OUTPUTS, new Set(['rows', `rows${SEP}1`, 'nested', `nested${SEP}a.b`]));
    const shown = rows.map((r) => `${'  '.repeat(r.depth)}${r.key}=${r.text}`);
    expect(shown).toEqual([
      'count=3',
      'ok=true',
      'nothing=null',
      `uri="${OUTPUTS.uri}"`,
      'rows=[2]',
      '  0={1}',
      '  1={1}',
      '    id=2',
      'nested={1}',
      '  a.b={1}',
      '    deep="value"',
      'empty={0}',
    ]);
    expect(rows.find((r) => r.key === '1')?.expanded).toBe(true);
    expect(rows.find((r) => r.key === '0')?.expanded).toBe(false);
  });

  it('gives no rows for a scalar or an empty root, and knows storage URIs', () => {
    expect(jsonRows('x', new Set())).toEqual([]);
    expect(jsonRows({}, new Set())).toEqual([]);
    expect(isStorageUri(OUTPUTS.uri)).toBe(true);
    expect(isStorageUri('https://example.com')).toBe(false);
    expect(isStorageUri(3)).toBe(false);
  });
});
