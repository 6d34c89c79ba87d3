/**
 * The `yaml` filter: writes a value as YAML the way Kestra's YamlFilter (Jackson) does: no `---` marker,
 * quotes only where a plain scalar would change meaning, no line folding, and block sequences indented
 * one space under their parent (Jackson's INDENT_ARRAYS: `key:\n - a`). Scalars and keys are quoted by
 * the `yaml` package; the block layout is written here because that package cannot indent dashes by one.
 */
import { stringify } from 'yaml';
import { isMap } from '../values.ts';

// lineWidth 0: Jackson's SPLIT_LINES is off. blockQuote false: multi-line strings are double-quoted.
const SCALAR = { lineWidth: 0, minContentWidth: 0, blockQuote: false } as const;

const scalar = (v: unknown): string => stringify(v ?? null, SCALAR).replace(/\n$/, '');

const isBlock = (v: unknown): v is unknown[] | Record<string, unknown> =>
  (Array.isArray(v) && v.length > 0) || (isMap(v) && Object.keys(v).length > 0);

/** All lines of `v`, each fully indented, for a value whose content starts at column `col`. */
function lines(v: unknown, col: number): string[] {
  const pad = ' '.repeat(col);
  if (!isBlock(v)) return [pad + scalar(Array.isArray(v) ? [] : isMap(v) ? {} : v)];
  if (Array.isArray(v)) {
    // Dashes one column right of the sequence's column; an item's content after `- `.
    return v.flatMap((item) => {
      const inner = lines(item, col + 3);
      inner[0] = `${pad} - ${inner[0]!.slice(col + 3)}`;
      return inner;
    });
  }
  return Object.entries(v).flatMap(([key, child]) => {
    const head = `${pad}${scalar(key)}:`;
    if (!isBlock(child)) return [`${head} ${lines(child, 0)[0]}`];
    // A nested map is indented by 2; a sequence in a map is "indentless" (dashes at col + 1).
    return [head, ...lines(child, Array.isArray(child) ? col : col + 2)];
  });
}

/** Kestra writes `null` for a null input, without the trailing newline every other value gets. */
export const toYaml = (v: unknown): string =>
  v === null || v === undefined ? 'null' : `${lines(v, 0).join('\n')}\n`;
