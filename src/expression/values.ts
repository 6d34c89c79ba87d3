/** Value helpers shared by the evaluator, filters and functions: Kestra's conversions and checks. */
import { ExpressionError, MissingError } from './errors.ts';

export type Dict = Record<string, unknown>;

/** Plain data object (JSON-like map), as opposed to arrays, class instances and functions. */
export function isMap(v: unknown): v is Dict {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads `obj[key]` the safe way: own properties of plain objects and array indexes only, so that no
 * expression can reach prototypes or functions. Missing: MissingError (strict mode).
 */
export function getAttr(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj)) {
    const idx = typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key;
    if (typeof idx === 'number' && Number.isInteger(idx) && idx >= 0 && idx < obj.length) return obj[idx];
    throw new MissingError(String(key));
  }
  const k = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : null;
  if (k === null) throw new ExpressionError(`Cannot use ${typeName(key)} as an attribute name`);
  if (FORBIDDEN.has(k)) throw new ExpressionError(`Access to \`${k}\` is not allowed`);
  if (isMap(obj) && Object.hasOwn(obj, k)) return obj[k];
  throw new MissingError(k);
}

/** Kestra's truthiness: false, null, 0, "", "false" and empty collections are false. */
export function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v !== '' && v !== 'false';
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** Java's rendering of a double: integral values print without exponent up to 1e21. */
export function numberToString(n: number): string {
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  return String(n);
}

/** String form of a value in rendered output: maps and lists as JSON, null as empty. */
export function toStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  return toJson(v);
}

export function toJson(v: unknown, pretty = false): string {
  return JSON.stringify(v ?? null, null, pretty ? 2 : undefined) ?? 'null';
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (isMap(v)) return 'map';
  return typeof v;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return a === b || (a ?? null) === (b ?? null);
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** Ordering for `<`, sort and max/min: numbers numerically, strings lexicographically. */
export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new ExpressionError(`Cannot compare ${typeName(a)} with ${typeName(b)}`);
}

export function toNumber(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new ExpressionError(`${what} expects a number, got ${typeName(v)} ${toJson(v).slice(0, 50)}`);
}

export function toInt(v: unknown, what: string): number {
  const n = toNumber(v, what);
  if (!Number.isInteger(n)) throw new ExpressionError(`${what} expects an integer, got ${n}`);
  return n;
}

export function asString(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) throw new ExpressionError(`${what} expects a string, got null`);
  return toStr(v);
}

export function asList(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new ExpressionError(`${what} expects a list, got ${typeName(v)}`);
}
