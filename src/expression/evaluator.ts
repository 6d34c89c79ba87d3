/** Evaluates expression trees. Strict: a missing name or attribute throws MissingError. */
import type { Args, Expr } from './ast.ts';
import { type CallArgs, countIterations, type Env } from './env.ts';
import { ExpressionError, MissingError } from './errors.ts';
import { FILTERS } from './filters/index.ts';
import { FUNCTIONS } from './functions/index.ts';
import { TESTS } from './tests.ts';
import { compare, deepEqual, getAttr, isMap, isTruthy, toStr, typeName } from './values.ts';

export function lookup(name: string, env: Env): unknown {
  for (let i = env.frames.length - 1; i >= 0; i--) {
    const f = env.frames[i]!;
    if (f.has(name)) return f.get(name);
  }
  if (Object.hasOwn(env.ctx, name) && name !== '__proto__') return env.ctx[name];
  throw new MissingError(name);
}

/** Evaluates, turning "missing" into `undefined` (for `is defined`, `??`, `???`, `default`). */
function lenient(e: Expr, env: Env): unknown {
  try {
    return evaluate(e, env);
  } catch (err) {
    if (err instanceof MissingError) return undefined;
    throw err;
  }
}

function evalArgs(a: Args, env: Env): CallArgs {
  const named = new Map<string, unknown>();
  for (const [k, v] of a.named) named.set(k, evaluate(v, env));
  return { pos: a.pos.map((p) => evaluate(p, env)), named };
}

const isFloatNode = (e: Expr): boolean =>
  (e.k === 'lit' && e.float === true) || (e.k === 'un' && e.op === '-' && isFloatNode(e.e));

function num(v: unknown, op: string): number {
  if (typeof v === 'number') return v;
  throw new ExpressionError(`Operator '${op}' expects numbers, got ${typeName(v)}`);
}

function arithmetic(op: string, l: unknown, r: unknown, intOnly: boolean): unknown {
  if (op === '+') {
    if (Array.isArray(l)) return Array.isArray(r) ? [...l, ...r] : [...l, r];
    if (typeof l === 'string' || typeof r === 'string') return toStr(l) + toStr(r);
  }
  if (op === '-' && Array.isArray(l)) return l.filter((x) => !deepEqual(x, r));
  const a = num(l, op);
  const b = num(r, op);
  const ints = intOnly && Number.isInteger(a) && Number.isInteger(b);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (ints) {
        if (b === 0) throw new ExpressionError('Division by zero');
        return Math.trunc(a / b);
      }
      return a / b;
    default:
      if (ints && b === 0) throw new ExpressionError('Division by zero');
      return a % b;
  }
}

function contains(l: unknown, r: unknown): boolean {
  if (l === null || l === undefined) return false;
  if (typeof l === 'string') return l.includes(toStr(r));
  if (Array.isArray(l)) {
    if (Array.isArray(r)) return r.every((x) => l.some((y) => deepEqual(x, y)));
    return l.some((y) => deepEqual(r, y));
  }
  if (isMap(l)) return Object.hasOwn(l, toStr(r));
  throw new ExpressionError(`Operator 'contains' does not apply to ${typeName(l)}`);
}

/** Kestra's `isIn`: the left value's text equals an item's text (a list) or a key's or value's (a map). */
function isIn(l: unknown, r: unknown): boolean {
  if (l === null || l === undefined || r === null || r === undefined) return false;
  const s = toStr(l);
  if (Array.isArray(r)) return r.some((x) => x !== null && x !== undefined && toStr(x) === s);
  if (isMap(r)) return Object.entries(r).some(([k, v]) => k === s || (v !== null && toStr(v) === s));
  return false;
}

export function range(from: number, to: number, step: number, env: Env): number[] {
  if (step === 0) throw new ExpressionError('range: step must not be 0');
  const n = Math.max(0, Math.floor((to - from) / step) + 1);
  countIterations(env, n);
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = from + i * step;
  return out;
}

function binary(e: Extract<Expr, { k: 'bin' }>, env: Env): unknown {
  const { op } = e;
  if (op === 'and') return isTruthy(evaluate(e.l, env)) && isTruthy(evaluate(e.r, env));
  if (op === 'or') return isTruthy(evaluate(e.l, env)) || isTruthy(evaluate(e.r, env));
  if (op === '??') {
    const l = lenient(e.l, env);
    return l === undefined || l === null ? evaluate(e.r, env) : l;
  }
  if (op === '???') {
    const l = lenient(e.l, env);
    return l === undefined ? evaluate(e.r, env) : l;
  }
  const l = evaluate(e.l, env);
  const r = evaluate(e.r, env);
  switch (op) {
    case '==':
      return deepEqual(l, r);
    case '!=':
      return !deepEqual(l, r);
    case '<':
      return compare(l, r) < 0;
    case '>':
      return compare(l, r) > 0;
    case '<=':
      return compare(l, r) <= 0;
    case '>=':
      return compare(l, r) >= 0;
    case '~':
      return toStr(l) + toStr(r);
    case 'contains':
      return contains(l, r);
    case 'isIn':
      return isIn(l, r);
    case '..': {
      if (!Number.isInteger(l) || !Number.isInteger(r))
        throw new ExpressionError("Operator '..' expects integers");
      return range(l as number, r as number, 1, env);
    }
    default:
      return arithmetic(op, l, r, !isFloatNode(e.l) && !isFloatNode(e.r));
  }
}

function filter(e: Extract<Expr, { k: 'filter' }>, env: Env): unknown {
  const f = FILTERS.get(e.name);
  if (!f) throw new ExpressionError(`Unknown filter '${e.name}'`);
  const input = e.name === 'default' ? lenient(e.e, env) : evaluate(e.e, env);
  return f(input, evalArgs(e.args, env), env);
}

function test(e: Extract<Expr, { k: 'test' }>, env: Env): boolean {
  let r: boolean;
  // Pebble's `defined` is `value != null`: a name bound to null (an optional input left unset) is not defined.
  if (e.name === 'defined') r = lenient(e.e, env) != null;
  else {
    const t = TESTS.get(e.name);
    if (!t) throw new ExpressionError(`Unknown test '${e.name}'`);
    r = t(evaluate(e.e, env), evalArgs(e.args, env));
  }
  return e.neg ? !r : r;
}

export function evaluate(e: Expr, env: Env): unknown {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'name':
      return lookup(e.name, env);
    case 'attr':
      return getAttr(evaluate(e.obj, env), evaluate(e.key, env));
    case 'bin':
      return binary(e, env);
    case 'un': {
      const v = evaluate(e.e, env);
      if (e.op === 'not') return !isTruthy(v);
      return e.op === '-' ? -num(v, '-') : num(v, '+');
    }
    case 'tern':
      return isTruthy(evaluate(e.c, env)) ? evaluate(e.a, env) : evaluate(e.b, env);
    case 'filter':
      return filter(e, env);
    case 'test':
      return test(e, env);
    case 'call': {
      const f = FUNCTIONS.get(e.name);
      if (!f) throw new ExpressionError(`Unknown function '${e.name}'`);
      return f(evalArgs(e.args, env), env);
    }
    case 'list':
      return e.items.map((x) => evaluate(x, env));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of e.entries) {
        const key = toStr(evaluate(k, env));
        if (key === '__proto__') throw new ExpressionError('`__proto__` is not allowed as a map key');
        out[key] = evaluate(v, env);
      }
      return out;
    }
  }
}
