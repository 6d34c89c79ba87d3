/**
 * Reading SQL text without running it: splitting a script into statements (Queries) and turning Kestra's
 * `:name` parameters into the driver's positional placeholders. Both skip what is not SQL code: quoted
 * strings and identifiers, comments and PostgreSQL dollar-quoted bodies, so a `;` or `:x` inside them
 * stays as written. Values are never put into the text: they are bound by the driver.
 */

export interface Statement {
  sql: string;
  /** 1-based line of the statement's first character in the whole script. */
  line: number;
}

/** Length of the non-code span starting at `i` (a string, comment...), or 0 when `i` starts code. */
const skipSpan = (sql: string, i: number): number => {
  const c = sql[i];
  const next = sql[i + 1];
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === '\\' && c !== '"') j += 2;
      else if (sql[j] === c && sql[j + 1] === c) j += 2;
      else if (sql[j] === c) return j + 1 - i;
      else j++;
    }
    return sql.length - i;
  }
  if (c === '-' && next === '-') {
    const end = sql.indexOf('\n', i);
    return (end === -1 ? sql.length : end) - i;
  }
  if (c === '#' && next !== '{') {
    // MySQL's `#` comment; harmless elsewhere, where `#` starts no code we rewrite.
    const end = sql.indexOf('\n', i);
    return (end === -1 ? sql.length : end) - i;
  }
  if (c === '/' && next === '*') {
    const end = sql.indexOf('*/', i + 2);
    return (end === -1 ? sql.length : end + 2) - i;
  }
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
    if (tag) {
      const end = sql.indexOf(tag, i + tag.length);
      return (end === -1 ? sql.length : end + tag.length) - i;
    }
  }
  return 0;
};

/** The statements of a script, split on `;` outside strings and comments; empty ones dropped. */
export const splitStatements = (script: string): Statement[] => {
  const out: Statement[] = [];
  let start = 0;
  const push = (end: number) => {
    const text = script.slice(start, end);
    const trimmed = text.trim();
    if (trimmed !== '' && !isOnlyComments(trimmed)) {
      const lead = text.length - text.trimStart().length;
      out.push({ sql: trimmed, line: lineAt(script, start + lead) });
    }
  };
  for (let i = 0; i < script.length; ) {
    const span = skipSpan(script, i);
    if (span > 0) {
      i += span;
      continue;
    }
    if (script[i] === ';') {
      push(i);
      start = i + 1;
    }
    i++;
  }
  push(script.length);
  return out;
};

const isOnlyComments = (sql: string): boolean => {
  for (let i = 0; i < sql.length; ) {
    const span = skipSpan(sql, i);
    if (span > 0 && sql[i] !== "'" && sql[i] !== '"' && sql[i] !== '`' && sql[i] !== '$') i += span;
    else if (/\s/.test(sql[i] ?? '')) i++;
    else return false;
  }
  return true;
};

/** 1-based line of offset `pos` in `text`. */
export const lineAt = (text: string, pos: number): number => {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
};

/**
 * Replaces each `:name` whose name is a key of `parameters` by a placeholder (`$1`.. for PostgreSQL, `?`
 * otherwise) and lists the values in order. `::type` casts, `:=` and names not in `parameters` are kept.
 */
export const bindNamed = (
  sql: string,
  parameters: Record<string, unknown> | undefined,
  style: 'dollar' | 'question',
): { sql: string; values: unknown[] } => {
  if (!parameters || Object.keys(parameters).length === 0) return { sql, values: [] };
  const values: unknown[] = [];
  let out = '';
  for (let i = 0; i < sql.length; ) {
    const span = skipSpan(sql, i);
    if (span > 0) {
      out += sql.slice(i, i + span);
      i += span;
      continue;
    }
    if (sql[i] === ':' && sql[i - 1] !== ':' && sql[i + 1] !== ':') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))?.[0];
      if (name && Object.hasOwn(parameters, name)) {
        values.push(parameters[name]);
        out += style === 'dollar' ? `$${values.length}` : '?';
        i += 1 + name.length;
        continue;
      }
    }
    out += sql[i];
    i++;
  }
  return { sql: out, values };
};
