/**
 * Syntax of every `{{ }}` / `{% %}` template written in a flow: a typo such as `{{ foo( }}` is reported by
 * `baton validate` (and on deploy) with its line and column, instead of failing the task at run time.
 * Only the syntax: names, functions and filters are resolved when the template renders.
 */
import { templateSyntaxError } from '../expression/index.ts';
import { childPath, errorAt, type SourceMap } from './source-map.ts';
import type { Flow, FlowError, SourcePosition } from './types.ts';

/** Documentation text, never rendered: it may quote templates, even broken ones. */
const NOT_RENDERED = new Set(['description']);

const TEMPLATE = /\{[{%#]/;

/** Offset in `source` of a 1-based line and column. */
const offsetOf = (source: string, pos: SourcePosition): number => {
  let offset = 0;
  for (let line = 1; line < pos.line; line++) {
    const next = source.indexOf('\n', offset);
    if (next < 0) return source.length;
    offset = next + 1;
  }
  return offset + pos.column - 1;
};

const positionAt = (source: string, offset: number): SourcePosition => {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
};

/**
 * Where the tag at fault is in the file: its text searched for from the value's start. A value written with
 * escapes or folded over lines may not contain the tag verbatim: the value's own position is used then.
 */
const tagPosition = (
  source: string | undefined,
  value: SourcePosition,
  template: string,
  offset: number | undefined,
): SourcePosition => {
  if (source === undefined || offset === undefined) return value;
  const snippet = template.slice(offset).split('\n')[0]!.slice(0, 40);
  const from = offsetOf(source, value);
  // A block scalar's text follows its indicator; indentation adds at most a few characters a line.
  const found = source.indexOf(snippet, from);
  if (found < 0 || found > from + template.length * 2 + 200) return value;
  return positionAt(source, found);
};

/** Every template syntax error in the flow's values, at the line and column of the tag at fault. */
export const expressionErrors = (flow: Flow, map: SourceMap): FlowError[] => {
  const errors: FlowError[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      // A value without a position of its own came from pluginDefaults: reported where it is written.
      const written = map.values.get(path);
      if (!written || !TEMPLATE.test(value)) return;
      const error = templateSyntaxError(value);
      if (!error) return;
      const at = tagPosition(map.source, written, value, error.offset);
      errors.push({
        ...errorAt(map, path, ''),
        ...at,
        message: `Invalid expression: ${error.message}; fix its syntax (names are only checked when it runs)`,
      });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        visit(v, childPath(path, i));
      });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (!NOT_RENDERED.has(k)) visit(v, childPath(path, k));
    }
  };
  visit(flow, '');
  return errors;
};
