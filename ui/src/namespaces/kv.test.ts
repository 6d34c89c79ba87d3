import { describe, expect, it } from 'vitest';
import { isKvKey, isTtl, kvBody, kvPreview, kvText } from './kv.ts';

describe('KV values in the editor', () => {
  it('sends each type as the JSON that keeps it', () => {
    expect(kvBody('STRING', '42')).toEqual({ body: '"42"' });
    expect(kvBody('NUMBER', ' 42.5 ')).toEqual({ body: '42.5' });
    expect(kvBody('BOOLEAN', 'false')).toEqual({ body: 'false' });
    expect(kvBody('JSON', '{"a": [1]}')).toEqual({ body: '{"a": [1]}' });
  });

  it('refuses text that is not of the type', () => {
    expect(kvBody('NUMBER', 'ten')).toEqual({ error: 'Not a number' });
    expect(kvBody('NUMBER', '')).toEqual({ error: 'Not a number' });
    expect(kvBody('BOOLEAN', 'yes')).toEqual({ error: 'true or false' });
    expect(kvBody('JSON', '{a:1}')).toEqual({ error: 'Not valid JSON' });
  });

  it('shows stored values as editable text and short previews', () => {
    expect(kvText('JSON', { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(kvText('NUMBER', 3)).toBe('3');
    expect(kvText('STRING', 'hi')).toBe('hi');
    expect(kvPreview({ a: 'x'.repeat(100) }, 10)).toBe('{"a":"xxx…');
  });

  it('checks keys and TTLs as the server does', () => {
    expect(isKvKey('my_key-1.v2')).toBe(true);
    expect(isKvKey('.hidden')).toBe(false);
    expect(isKvKey('with space')).toBe(false);
    for (const ok of ['', 'PT1H', 'P1D', 'PT30M', 'P1DT2H', 'PT1.5S']) expect(isTtl(ok), ok).toBe(true);
    for (const bad of ['1h', 'P', 'PT', 'P1H']) expect(isTtl(bad), bad).toBe(false);
  });
});
