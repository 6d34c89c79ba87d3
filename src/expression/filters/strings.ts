/** String filters. */
import { arg, type FilterFn, requiredArg } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { asString, isMap, toInt, toStr } from '../values.ts';

const str = (v: unknown, what: string): string => (v === null || v === undefined ? '' : asString(v, what));

function substring(name: string, last: boolean, after: boolean): FilterFn {
  return (input, a) => {
    const s = str(input, name);
    const sep = toStr(requiredArg(a, 0, 'separator', name));
    const i = last ? s.lastIndexOf(sep) : s.indexOf(sep);
    if (after) return i < 0 ? '' : s.slice(i + sep.length);
    return i < 0 ? s : s.slice(0, i);
  };
}

/** Java's String.split: regular expression, trailing empty strings dropped (limit 0). */
function split(input: unknown, a: Parameters<FilterFn>[1]): unknown {
  const s = str(input, 'split');
  const delimiter = toStr(requiredArg(a, 0, 'delimiter', 'split'));
  const limit = toInt(arg(a, 1, 'limit', 0), 'split');
  let re: RegExp;
  try {
    re = new RegExp(delimiter, 'g');
  } catch {
    throw new ExpressionError(`split: invalid delimiter regular expression \`${delimiter}\``);
  }
  const parts: string[] = [];
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (limit > 0 && parts.length === limit - 1) break;
    if (m[0] === '' && (m.index === 0 || m.index === s.length)) continue;
    parts.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  parts.push(s.slice(last));
  if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function replace(input: unknown, a: Parameters<FilterFn>[1]): unknown {
  let s = str(input, 'replace');
  const first = requiredArg(a, 0, 'replace_pairs', 'replace');
  const regexp = a.named.get('regexp') === true || (isMap(first) && a.pos[1] === true);
  const pairs: [string, string][] = isMap(first)
    ? Object.entries(first).map(([k, v]) => [k, toStr(v)])
    : [[toStr(first), toStr(requiredArg(a, 1, 'replacement', 'replace'))]];
  for (const [from, to] of pairs) {
    if (!regexp) s = s.split(from).join(to);
    else {
      // Java's replacement syntax: $1 groups; JS uses the same.
      s = s.replace(new RegExp(from, 'g'), to);
    }
  }
  return s;
}

function indent(input: unknown, a: Parameters<FilterFn>[1], leading: boolean): unknown {
  const s = str(input, 'indent');
  const n = toInt(requiredArg(a, 0, 'amount', 'indent'), 'indent');
  const prefix = toStr(arg(a, 1, 'prefix', ' ')).repeat(n);
  const lines = s.split(/\r?\n/);
  const body = lines.map((l, i) => (i === 0 && !leading ? l : l === '' ? l : prefix + l)).join('\n');
  return leading ? `\n${body}` : body;
}

function slugify(input: unknown): string {
  return str(input, 'slugify')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function escapeChar(input: unknown, a: Parameters<FilterFn>[1]): string {
  const s = str(input, 'escapeChar');
  const type = toStr(arg(a, 0, 'type', 'single'));
  if (type === 'single') return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  if (type === 'double') return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  if (type === 'shell') return s.replace(/'/g, "'\\''");
  throw new ExpressionError(`escapeChar: unknown type \`${type}\` (use single, double or shell)`);
}

/** Java regular expressions are close enough to JS ones for the patterns flows use; named groups differ. */
function regex(a: Parameters<FilterFn>[1], name: string, flags = ''): RegExp {
  const pattern = arg(a, 0, 'regex');
  if (pattern === undefined || pattern === null)
    throw new ExpressionError(`${name}: the argument 'regex' is required`);
  try {
    return new RegExp(toStr(pattern), flags);
  } catch {
    throw new ExpressionError(`${name}: invalid regular expression \`${toStr(pattern)}\``);
  }
}

// Kestra's regex filters: a null input gives false (regexMatch) or null (the others); the regex may match
// anywhere (Java's Matcher.find).
const regexFilters: Record<string, FilterFn> = {
  regexMatch: (v, a) => (v === null || v === undefined ? false : regex(a, 'regexMatch').test(toStr(v))),
  regexExtract: (v, a) => {
    if (v === null || v === undefined) return null;
    const m = regex(a, 'regexExtract').exec(toStr(v));
    const group = toInt(arg(a, 1, 'group', 0) ?? 0, 'regexExtract');
    if (m && group >= m.length) throw new ExpressionError(`regexExtract: no group ${group} in the regex`);
    return m ? (m[group] ?? null) : null;
  },
  regexReplace: (v, a) => {
    if (v === null || v === undefined) return null;
    const replacement = arg(a, 1, 'replacement');
    if (replacement === undefined || replacement === null)
      throw new ExpressionError("regexReplace: the argument 'replacement' is required");
    return toStr(v).replace(regex(a, 'regexReplace', 'g'), toStr(replacement));
  },
};

export const STRING_FILTERS: Record<string, FilterFn> = {
  ...regexFilters,
  upper: (v) => str(v, 'upper').toUpperCase(),
  lower: (v) => str(v, 'lower').toLowerCase(),
  capitalize: (v) => {
    const s = str(v, 'capitalize');
    return s.charAt(0).toUpperCase() + s.slice(1);
  },
  title: (v) =>
    str(v, 'title').replace(/(^|[\s(])(\p{L})/gu, (_, p: string, c: string) => p + c.toUpperCase()),
  trim: (v) => str(v, 'trim').trim(),
  abbreviate: (v, a) => {
    const s = str(v, 'abbreviate');
    const n = toInt(requiredArg(a, 0, 'length', 'abbreviate'), 'abbreviate');
    if (s.length <= n) return s;
    return n <= 3 ? s.slice(0, n) : `${s.slice(0, n - 3)}...`;
  },
  replace,
  split,
  startsWith: (v, a) => str(v, 'startsWith').startsWith(toStr(requiredArg(a, 0, 'value', 'startsWith'))),
  endsWith: (v, a) => str(v, 'endsWith').endsWith(toStr(requiredArg(a, 0, 'value', 'endsWith'))),
  substringBefore: substring('substringBefore', false, false),
  substringAfter: substring('substringAfter', false, true),
  substringBeforeLast: substring('substringBeforeLast', true, false),
  substringAfterLast: substring('substringAfterLast', true, true),
  slugify,
  indent: (v, a) => indent(v, a, false),
  nindent: (v, a) => indent(v, a, true),
  escapeChar,
  string: (v) => toStr(v),
  raw: (v) => v,
  escape: (v) => v,
};
