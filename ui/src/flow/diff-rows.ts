/**
 * Two texts side by side, line against line: unchanged lines face each other, a removed block faces
 * the block added in its place, and the shorter side is padded with empty cells. Pure.
 */
import { diffLines } from 'diff';

export interface DiffCell {
  /** Line number in its text; absent for padding. */
  n?: number;
  text: string;
  kind: 'same' | 'add' | 'del' | 'empty';
}

export interface DiffRow {
  left: DiffCell;
  right: DiffCell;
}

const EMPTY: DiffCell = { text: '', kind: 'empty' };

const linesOf = (value: string): string[] => {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

export const diffRows = (before: string, after: string): DiffRow[] => {
  const rows: DiffRow[] = [];
  let left = 1;
  let right = 1;
  let removed: string[] = [];
  const flushRemoved = (added: string[]) => {
    const count = Math.max(removed.length, added.length);
    for (let i = 0; i < count; i++) {
      const l = removed[i];
      const r = added[i];
      rows.push({
        left: l === undefined ? EMPTY : { n: left++, text: l, kind: 'del' },
        right: r === undefined ? EMPTY : { n: right++, text: r, kind: 'add' },
      });
    }
    removed = [];
  };
  for (const part of diffLines(before, after)) {
    const lines = linesOf(part.value);
    if (part.removed) {
      flushRemoved([]);
      removed = lines;
    } else if (part.added) flushRemoved(lines);
    else {
      flushRemoved([]);
      for (const text of lines)
        rows.push({ left: { n: left++, text, kind: 'same' }, right: { n: right++, text, kind: 'same' } });
    }
  }
  flushRemoved([]);
  return rows;
};

/** Whether two texts differ at all (for "no change" notices). */
export const changedLines = (rows: DiffRow[]): number => rows.filter((r) => r.left.kind !== 'same').length;
