/**
 * A JSON value as the rows of a collapsible tree: objects and arrays are rows that open (their path in
 * `expanded`), values are leaves. Only open branches are walked, so a large output costs what shows.
 */

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonRow {
  /** Keys from the root, joined by `\u0000` (keys may hold dots). */
  path: string;
  depth: number;
  key: string;
  kind: JsonKind;
  /** For a leaf: the value as shown; for a branch: `{3}` / `[10]`. */
  text: string;
  /** The leaf's value (a `kestra:///` URI gets a preview and a download). */
  value?: unknown;
  expandable: boolean;
  expanded: boolean;
}

export const SEP = '\u0000';

export const kindOf = (value: unknown): JsonKind => {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
};

const entriesOf = (value: unknown): [string, unknown][] =>
  Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);

export const isStorageUri = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith('kestra:///');

/** The rows of `root`'s entries (the root itself is not a row). */
export const jsonRows = (root: unknown, expanded: ReadonlySet<string>): JsonRow[] => {
  const rows: JsonRow[] = [];
  const walk = (value: unknown, prefix: string, depth: number) => {
    for (const [key, child] of entriesOf(value)) {
      const path = prefix === '' ? key : `${prefix}${SEP}${key}`;
      const kind = kindOf(child);
      const branch = kind === 'object' || kind === 'array';
      if (branch) {
        const size = entriesOf(child).length;
        const open = expanded.has(path) && size > 0;
        rows.push({
          path,
          depth,
          key,
          kind,
          text: kind === 'array' ? `[${size}]` : `{${size}}`,
          expandable: size > 0,
          expanded: open,
        });
        if (open) walk(child, path, depth + 1);
      } else
        rows.push({
          path,
          depth,
          key,
          kind,
          text: kind === 'string' ? JSON.stringify(child) : String(child ?? null),
          value: child,
          expandable: false,
          expanded: false,
        });
    }
  };
  if (kindOf(root) === 'object' || kindOf(root) === 'array') walk(root, '', 0);
  return rows;
};
