/**
 * Parser: Pebble's grammar. Binary precedences follow Pebble's core extension (`or` 10, `and` 15,
 * `is`/`contains`/`isIn` 20, comparisons 30, `+ -` 40, `* / %` 60, `|` 100, `~` 110, `..` and Kestra's
 * `??`/`???` 120); unary `not` 5, `- +` 500; the ternary binds loosest.
 */
import type { Args, Expr, Node, Where } from './ast.ts';
import { ExpressionError } from './errors.ts';
import { lexTemplate, type Segment, type Token } from './lexer.ts';

const BINARY: Record<string, number> = {
  or: 10,
  and: 15,
  is: 20,
  contains: 20,
  // Kestra 0.24+: `value isIn list`, the mirror of `contains`.
  isIn: 20,
  '==': 30,
  '!=': 30,
  equals: 30,
  '<': 30,
  '>': 30,
  '<=': 30,
  '>=': 30,
  '+': 40,
  '-': 40,
  '*': 60,
  '/': 60,
  '%': 60,
  '|': 100,
  '~': 110,
  '..': 120,
  '??': 120,
  '???': 120,
};

class ExprParser {
  private i = 0;
  private readonly toks: Token[];
  private readonly src: string;
  constructor(toks: Token[], src: string, start = 0) {
    this.toks = toks;
    this.src = src;
    this.i = start;
  }
  fail(msg: string): never {
    throw new ExpressionError(`${msg} in the expression \`${this.src}\``);
  }
  peek(): Token | undefined {
    return this.toks[this.i];
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  isOp(v: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.t === 'op' && t.v === v;
  }
  isWord(v: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.t === 'name' && t.v === v;
  }
  expect(v: string): void {
    const t = this.toks[this.i];
    if (!t || t.v !== v || t.t === 'str')
      this.fail(`Expected '${v}' but found ${t ? `'${t.v}'` : 'the end'}`);
    this.i++;
  }
  name(): string {
    const t = this.toks[this.i++];
    if (t?.t !== 'name') this.fail(`Expected a name but found ${t ? `'${t.v}'` : 'the end'}`);
    return t.v;
  }
  end(): void {
    if (!this.done()) this.fail(`Unexpected '${this.peek()!.v}'`);
  }

  expression(): Expr {
    const c = this.binary(0);
    if (!this.isOp('?')) return c;
    this.i++;
    const a = this.expression();
    this.expect(':');
    return { k: 'tern', c, a, b: this.expression() };
  }

  private binary(min: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!t || t.t === 'str' || t.t === 'num') return left;
      const prec = BINARY[t.v];
      if (
        prec === undefined ||
        prec < min ||
        (t.t === 'name' &&
          t.v !== 'or' &&
          t.v !== 'and' &&
          t.v !== 'is' &&
          t.v !== 'contains' &&
          t.v !== 'isIn' &&
          t.v !== 'equals')
      )
        return left;
      this.i++;
      if (t.v === '|') left = this.filter(left);
      else if (t.v === 'is') {
        const neg = this.isWord('not');
        if (neg) this.i++;
        const name = this.name();
        left = { k: 'test', e: left, name, args: this.isOp('(') ? this.args() : { pos: [], named: [] }, neg };
      } else left = { k: 'bin', op: t.v === 'equals' ? '==' : t.v, l: left, r: this.binary(prec + 1) };
    }
  }

  private filter(input: Expr): Expr {
    const name = this.name();
    return { k: 'filter', e: input, name, args: this.isOp('(') ? this.args() : { pos: [], named: [] } };
  }

  private unary(): Expr {
    if (this.isWord('not')) {
      this.i++;
      return { k: 'un', op: 'not', e: this.binary(5) };
    }
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.toks[this.i++]!.v;
      return { k: 'un', op, e: this.binary(500) };
    }
    return this.postfix(this.primary());
  }

  private primary(): Expr {
    const t = this.toks[this.i++];
    if (!t) return this.fail('Unexpected end of expression');
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: Number(t.v), float: t.float };
    if (t.t === 'name') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'null' || t.v === 'none') return { k: 'lit', v: null };
      if (this.isOp('(')) return { k: 'call', name: t.v, args: this.args() };
      return { k: 'name', name: t.v };
    }
    if (t.v === '(') {
      const e = this.expression();
      this.expect(')');
      return e;
    }
    if (t.v === '[') {
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        items.push(this.expression());
        if (!this.isOp(']')) this.expect(',');
      }
      this.i++;
      return { k: 'list', items };
    }
    if (t.v === '{') {
      const entries: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        const key = this.expression();
        this.expect(':');
        entries.push([key, this.expression()]);
        if (!this.isOp('}')) this.expect(',');
      }
      this.i++;
      return { k: 'map', entries };
    }
    return this.fail(`Unexpected '${t.v}'`);
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.toks[this.i++];
        if (!t || (t.t !== 'name' && t.t !== 'num')) this.fail("Expected a name after '.'");
        if (this.isOp('(')) this.fail(`Method calls like '.${t.v}()' are not supported`);
        e = { k: 'attr', obj: e, key: { k: 'lit', v: t.t === 'num' ? Number(t.v) : t.v } };
      } else if (this.isOp('[')) {
        this.i++;
        e = { k: 'attr', obj: e, key: this.expression() };
        this.expect(']');
      } else return e;
    }
  }

  args(): Args {
    this.expect('(');
    const args: Args = { pos: [], named: [] };
    while (!this.isOp(')')) {
      const t = this.peek();
      const n = this.toks[this.i + 1];
      if (t?.t === 'name' && n?.t === 'op' && n.v === '=') {
        this.i += 2;
        args.named.push([t.v, this.expression()]);
      } else args.pos.push(this.expression());
      if (!this.isOp(')')) this.expect(',');
    }
    this.i++;
    return args;
  }
}

/** Parses a bare expression (no delimiters). */
export function parseExpression(toks: Token[], src: string): Expr {
  const p = new ExprParser(toks, src);
  const e = p.expression();
  p.end();
  return e;
}

type TagSeg = Exclude<Segment, { k: 'text' }>;

/** Parses a template into nodes. */
export function parseTemplate(tpl: string): Node[] {
  const segs = lexTemplate(tpl);
  let i = 0;
  const tagName = (s: Segment): string | null =>
    s.k === 'tag' && s.toks[0]?.t === 'name' ? s.toks[0].v : null;
  const fail = (s: TagSeg, msg: string): never => {
    const error = new ExpressionError(`${msg} in \`${s.src}\` at line ${s.line}`);
    error.offset = s.offset;
    throw error;
  };
  const exprOf = (s: TagSeg, from: number): Expr => {
    try {
      const p = new ExprParser(s.toks, s.src, from);
      const e = p.expression();
      p.end();
      return e;
    } catch (err) {
      if (err instanceof ExpressionError) err.offset ??= s.offset;
      throw err;
    }
  };
  const block = (stops: string[]): Node[] => {
    const nodes: Node[] = [];
    while (i < segs.length) {
      const s = segs[i]!;
      if (s.k === 'text') {
        nodes.push({ k: 'text', s: s.s });
        i++;
        continue;
      }
      try {
        if (tag(s, stops, nodes) === 'stop') return nodes;
      } catch (err) {
        // Errors of the expression parser know their tag only by its text: add where it is.
        if (err instanceof ExpressionError) err.offset ??= s.offset;
        throw err;
      }
    }
    if (stops.length > 0) throw new ExpressionError(`Missing {% ${stops[stops.length - 1]} %} in template`);
    return nodes;
  };
  /** Parses the tag `s` (and the blocks it opens) into `nodes`; 'stop' when `s` ends the current block. */
  const tag = (s: TagSeg, stops: string[], nodes: Node[]): 'stop' | undefined => {
    const at: Where = { src: s.src, line: s.line };
    if (s.k === 'out') {
      i++;
      if (s.toks.length === 0) fail(s, 'Empty expression');
      nodes.push({ k: 'out', e: parseExpression(s.toks, s.src), at });
      return undefined;
    }
    const name = tagName(s);
    if (name && stops.includes(name)) return 'stop';
    i++;
    if (name === 'if') {
      const branches = [{ c: exprOf(s, 1), at, body: block(['elseif', 'elif', 'else', 'endif']) }];
      let otherwise: Node[] | null = null;
      for (;;) {
        const t = segs[i] as TagSeg | undefined;
        if (!t) return fail(s, 'Missing {% endif %}');
        const tn = tagName(t);
        i++;
        if (tn === 'endif') break;
        if (tn === 'else') otherwise = block(['endif']);
        else
          branches.push({
            c: exprOf(t, 1),
            at: { src: t.src, line: t.line },
            body: block(['elseif', 'elif', 'else', 'endif']),
          });
      }
      nodes.push({ k: 'if', branches, otherwise });
    } else if (name === 'for') {
      const p = new ExprParser(s.toks, s.src, 1);
      let key: string | null = null;
      let val = p.name();
      if (p.isOp(',')) {
        p.expect(',');
        key = val;
        val = p.name();
      }
      p.expect('in');
      const iter = p.expression();
      p.end();
      const body = block(['else', 'endfor']);
      let otherwise: Node[] | null = null;
      if (!segs[i]) fail(s, 'Missing {% endfor %}');
      if (tagName(segs[i]!) === 'else') {
        i++;
        otherwise = block(['endfor']);
        if (!segs[i]) fail(s, 'Missing {% endfor %}');
      }
      i++;
      nodes.push({ k: 'for', key, val, iter, at, body, otherwise });
    } else if (name === 'set') {
      const p = new ExprParser(s.toks, s.src, 1);
      const varName = p.name();
      p.expect('=');
      const e = p.expression();
      p.end();
      nodes.push({ k: 'set', name: varName, e, at });
    } else fail(s, `Unknown or misplaced tag '${name ?? ''}'`);
    return undefined;
  };
  return block([]);
}
