/**
 * Lexer: splits a template into text and tags, and tags into tokens. Expression tokens are read
 * directly from the template so that `}}` inside a string or a map literal does not end the tag.
 */
import { ExpressionError } from './errors.ts';

export type TokType = 'name' | 'num' | 'str' | 'op';
export interface Token {
  t: TokType;
  v: string;
  /** Numbers: written with a decimal point or exponent. */
  float?: boolean;
}

export type Segment =
  | { k: 'text'; s: string }
  | {
      k: 'out' | 'tag';
      toks: Token[];
      src: string;
      line: number;
      /** Index of the tag's opening `{` in the template. */
      offset: number;
      trimL: boolean;
      trimR: boolean;
    };

// Longest first: the lexer takes the first operator that matches.
const OPS = ['???', '??', '..', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '~', '<', '>', '?', ':'];
const PUNCT = '()[]{},.|=';

/** `offset`: where the tag at fault opens in the template. */
function fail(msg: string, template: string, offset?: number): never {
  const error = new ExpressionError(
    `${msg} in template \`${template.length > 200 ? `${template.slice(0, 200)}...` : template}\``,
  );
  error.offset = offset;
  throw error;
}

/** Reads tokens from `i` until the closing delimiter; returns tokens and the index after it. */
function lexTag(
  tpl: string,
  i: number,
  close: string,
  open = 0,
): { toks: Token[]; end: number; trimR: boolean } {
  const toks: Token[] = [];
  let depth = 0;
  /** Brackets open at this point, for the message of a tag that never closes. */
  const opened: string[] = [];
  const n = tpl.length;
  while (i < n) {
    const c = tpl[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (depth === 0) {
      if (c === '-' && tpl.startsWith(close, i + 1)) return { toks, end: i + 1 + close.length, trimR: true };
      if (tpl.startsWith(close, i)) return { toks, end: i + close.length, trimR: false };
    }
    if (c === "'" || c === '"') {
      let s = '';
      let j = i + 1;
      for (; j < n && tpl[j] !== c; j++) {
        if (tpl[j] === '\\' && j + 1 < n) {
          const e = tpl[++j]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        } else s += tpl[j];
      }
      if (j >= n) fail('Unclosed string', tpl, open);
      toks.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < n && tpl[j]! >= '0' && tpl[j]! <= '9') j++;
      let float = false;
      if (tpl[j] === '.' && tpl[j + 1]! >= '0' && tpl[j + 1]! <= '9') {
        float = true;
        j++;
        while (j < n && tpl[j]! >= '0' && tpl[j]! <= '9') j++;
      }
      if ((tpl[j] === 'e' || tpl[j] === 'E') && /[-+\d]/.test(tpl[j + 1] ?? '')) {
        float = true;
        j += 2;
        while (j < n && tpl[j]! >= '0' && tpl[j]! <= '9') j++;
      }
      toks.push({ t: 'num', v: tpl.slice(i, j), float });
      i = j;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(tpl[j]!)) j++;
      toks.push({ t: 'name', v: tpl.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPS.find((o) => tpl.startsWith(o, i));
    if (op && !(op === '=' && tpl[i + 1] === '=')) {
      toks.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    if (PUNCT.includes(c)) {
      if (c === '{' || c === '[' || c === '(') {
        depth++;
        opened.push(c);
      } else if (c === '}' || c === ']' || c === ')') {
        depth--;
        // A mismatched closer (the `}` of `}}` after an unclosed `(`) leaves the opener to be reported.
        if (opened[opened.length - 1] === { '}': '{', ']': '[', ')': '(' }[c]) opened.pop();
      }
      toks.push({ t: 'op', v: c });
      i++;
      continue;
    }
    fail(`Unexpected character '${c}'`, tpl, open);
  }
  const bracket = opened[opened.length - 1];
  if (bracket) {
    const closing = bracket === '(' ? ')' : bracket === '[' ? ']' : '}';
    fail(`Unclosed tag: '${bracket}' is never closed (expected '${closing}' before '${close}')`, tpl, open);
  }
  return fail(`Unclosed tag (expected '${close}')`, tpl, open);
}

const RAW_END = /\{%-?\s*endraw\s*-?%\}/g;

export function lexTemplate(tpl: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  let line = 1;
  let text = '';
  let trimNext = false;
  const pushText = (s: string) => {
    text += trimNext ? s.replace(/^\s+/, '') : s;
    trimNext = false;
  };
  const flushText = (trimEnd: boolean) => {
    if (trimEnd) text = text.replace(/\s+$/, '');
    if (text) segs.push({ k: 'text', s: text });
    text = '';
  };
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    const next = tpl[open + 1];
    if (open < 0) {
      pushText(tpl.slice(i));
      break;
    }
    if (next !== '{' && next !== '%' && next !== '#') {
      pushText(tpl.slice(i, open + 1));
      i = open + 1;
      continue;
    }
    pushText(tpl.slice(i, open));
    for (let p = i; p < open; p++) if (tpl.charCodeAt(p) === 10) line++;
    const trimL = tpl[open + 2] === '-';
    const start = open + 2 + (trimL ? 1 : 0);
    if (next === '#') {
      const end = tpl.indexOf('#}', start);
      if (end < 0) fail('Unclosed comment', tpl, open);
      flushText(trimL);
      trimNext = tpl[end - 1] === '-';
      i = end + 2;
      continue;
    }
    const { toks, end, trimR } = lexTag(tpl, start, next === '{' ? '}}' : '%}', open);
    const src = tpl.slice(open, end);
    flushText(trimL);
    trimNext = trimR;
    i = end;
    if (next === '%' && toks.length === 1 && toks[0]!.v === 'raw') {
      RAW_END.lastIndex = i;
      const m = RAW_END.exec(tpl);
      if (!m) fail('Missing {% endraw %}', tpl, open);
      pushText(tpl.slice(i, m.index));
      trimNext = m[0].endsWith('-%}');
      i = m.index + m[0].length;
      continue;
    }
    segs.push({ k: next === '{' ? 'out' : 'tag', toks, src, line, offset: open, trimL, trimR });
    for (let p = open; p < end; p++) if (tpl.charCodeAt(p) === 10) line++;
  }
  flushText(false);
  return segs;
}

/** Tokens of a bare expression (no delimiters); `src` is quoted in errors. */
export function lexExpression(expr: string, src: string): Token[] {
  const { toks, end } = lexTag(`${expr} }}`, 0, '}}');
  if (end !== expr.length + 3) throw new ExpressionError(`Unexpected '}}' in the expression \`${src}\``);
  return toks;
}
