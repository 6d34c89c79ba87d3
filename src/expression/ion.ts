/**
 * Amazon Ion text, for `toIon` and `fromIon()`: Kestra stores rows as Ion text, one value per line.
 * Writing follows Jackson's Ion writer (`{a:1,b:"x"}`, floats as `1.5e0`). Reading covers the text
 * format: annotations (dropped), typed nulls, ints in any radix, decimals, floats, timestamps (kept as
 * their ISO text), strings, long strings, symbols, blobs and clobs (their text), lists, s-expressions
 * (as lists) and structs. Binary Ion is not read.
 */
import { ExpressionError } from './errors.ts';
import { isMap } from './values.ts';

const SYMBOL = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const KEYWORDS = new Set(['null', 'true', 'false', 'nan']);

const quoteSymbol = (s: string): string =>
  SYMBOL.test(s) && !KEYWORDS.has(s) ? s : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function floatText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? '+inf' : '-inf';
  const s = String(n);
  return /e/.test(s) ? s : `${s}e0`;
}

export function toIon(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatText(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toIon).join(',')}]`;
  if (isMap(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${quoteSymbol(k)}:${toIon(x)}`)
      .join(',')}}`;
  return JSON.stringify(String(v));
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '"': '"',
  "'": "'",
  '/': '/',
  '?': '?',
  '\\': '\\',
};

const TIMESTAMP =
  /^\d{4}(?:T|-\d{2}(?:T|-\d{2}(?:T(?:\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?)/;
const NUMBER =
  /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|inf|(?:\d[\d_]*)(?:\.[\d_]*)?(?:[eEdD][+-]?\d+)?|\.\d+)/;

class IonReader {
  private i = 0;
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  private fail(msg: string): never {
    throw new ExpressionError(`Invalid Ion at offset ${this.i}: ${msg}`);
  }
  /** Skips whitespace and comments; false at the end of the text. */
  more(): boolean {
    for (;;) {
      const rest = this.s.slice(this.i);
      const m = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!m) return this.i < this.s.length;
      this.i += m[0].length;
    }
  }
  private peek(n = 1): string {
    return this.s.slice(this.i, this.i + n);
  }
  private expect(c: string): void {
    this.more();
    if (this.peek() !== c) this.fail(`expected '${c}'`);
    this.i++;
  }

  private quoted(q: string): string {
    let out = '';
    this.i += q.length;
    while (this.peek(q.length) !== q) {
      if (this.i >= this.s.length) this.fail('unterminated string');
      const c = this.s[this.i++]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++]!;
      if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        out += String.fromCodePoint(Number.parseInt(this.s.slice(this.i, this.i + len), 16));
        this.i += len;
      } else if (e === '\n') continue;
      else if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else this.fail(`unknown escape \\${e}`);
    }
    this.i += q.length;
    return out;
  }

  /** A string: "..." or one or more '''...''' parts separated by whitespace. */
  private string(): string {
    if (this.peek() === '"') return this.quoted('"');
    let out = '';
    do out += this.quoted("'''");
    while (this.more() && this.peek(3) === "'''");
    return out;
  }

  private collection(close: string, entry: () => unknown): unknown[] {
    const out: unknown[] = [];
    this.i++;
    while (this.more() && this.peek() !== close) {
      out.push(entry());
      this.more();
      if (this.peek() === ',') this.i++;
      else if (close !== ')' && this.peek() !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.expect(close);
    return out;
  }

  private structOrLob(): unknown {
    if (this.peek(2) === '{{') {
      const end = this.s.indexOf('}}', this.i);
      if (end < 0) this.fail('unterminated blob');
      const inner = this.s.slice(this.i + 2, end).trim();
      this.i = end + 2;
      return inner.startsWith('"') || inner.startsWith("'''") ? new IonReader(inner).value() : inner;
    }
    const out: Record<string, unknown> = {};
    this.collection('}', () => {
      this.more();
      const c = this.peek();
      const key =
        c === '"' || this.peek(3) === "'''" ? this.string() : c === "'" ? this.quoted("'") : this.word();
      if (key === '__proto__') this.fail('`__proto__` is not allowed as a field name');
      this.expect(':');
      out[key] = this.value();
    });
    return out;
  }

  private word(): string {
    const m = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(this.s.slice(this.i));
    if (!m) this.fail(`unexpected '${this.peek()}'`);
    this.i += m[0].length;
    return m[0];
  }

  private scalar(): unknown {
    const rest = this.s.slice(this.i);
    const ts = TIMESTAMP.exec(rest);
    if (ts && !/^[\d.eEdD]/.test(rest.slice(ts[0].length))) {
      this.i += ts[0].length;
      return ts[0];
    }
    const num = NUMBER.exec(rest);
    if (num) {
      this.i += num[0].length;
      const t = num[0].replace(/_/g, '');
      if (/inf$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
      const sign = t.startsWith('-') ? -1 : 1;
      const body = t.replace(/^[+-]/, '');
      if (/^0[xXbB]/.test(body)) return sign * Number(body.toLowerCase());
      return Number(t.replace(/[dD]/, 'e'));
    }
    if (/^[-+*/<>=!~%^&|`@#?;]+/.test(rest)) {
      const op = /^[-+*/<>=!~%^&|`@#?;]+/.exec(rest)![0];
      this.i += op.length;
      return op;
    }
    const w = this.word();
    if (w === 'true' || w === 'false') return w === 'true';
    if (w === 'null' || w.startsWith('null.')) return null;
    if (w === 'nan') return Number.NaN;
    return w;
  }

  value(): unknown {
    if (!this.more()) this.fail('expected a value');
    const c = this.peek();
    let v: unknown;
    if (c === '[') v = this.collection(']', () => this.value());
    else if (c === '(') v = this.collection(')', () => this.value());
    else if (c === '{') v = this.structOrLob();
    else if (c === '"' || this.peek(3) === "'''") v = this.string();
    else if (c === "'") v = this.quoted("'");
    else v = this.scalar();
    // `v::value`: v was an annotation, which carries no data here.
    this.more();
    if (this.peek(2) === '::') {
      this.i += 2;
      return this.value();
    }
    return v;
  }
}

/** The top-level values of an Ion text (Kestra's files hold one row per value). */
export function fromIon(text: string, allRows: boolean): unknown {
  const r = new IonReader(text);
  const rows: unknown[] = [];
  while (r.more()) {
    rows.push(r.value());
    if (!allRows) return rows[0];
  }
  return allRows ? rows : null;
}
