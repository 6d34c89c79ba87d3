import { describe, expect, it } from 'vitest';
import { changedLines, diffRows } from './diff-rows.ts';

describe('diffRows', () => {
  it('faces unchanged lines, pairs a replaced line with its replacement, pads the shorter side', () => {
    const rows = diffRows('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(
      rows.map((r) => [r.left.kind, r.left.n, r.left.text, r.right.kind, r.right.n, r.right.text]),
    ).toEqual([
      ['same', 1, 'a', 'same', 1, 'a'],
      ['del', 2, 'b', 'add', 2, 'B'],
      ['same', 3, 'c', 'same', 3, 'c'],
      ['empty', undefined, '', 'add', 4, 'd'],
    ]);
    expect(changedLines(rows)).toBe(2);
  });

  it('shows a removed block against nothing', () => {
    const rows = diffRows('x\ny\nz\n', 'x\n');
    expect(rows.map((r) => `${r.left.kind}/${r.right.kind}`)).toEqual([
      'same/same',
      'del/empty',
      'del/empty',
    ]);
    expect(changedLines(diffRows('same\n', 'same\n'))).toBe(0);
  });
});
