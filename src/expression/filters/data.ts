/** Data filters: JSON, YAML, Ion, jq, numbers. */
import { parse as parseYaml } from 'yaml';
import { arg, type FilterFn, requiredArg } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { toIon } from '../ion.ts';
import { runJq } from '../jq.ts';
import { asString, isMap, toJson, toNumber, toStr, typeName } from '../values.ts';
import { toYaml } from './yaml.ts';

export function fromJson(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const s = asString(v, 'fromJson');
  try {
    return JSON.parse(s);
  } catch (err) {
    throw new ExpressionError(`Invalid JSON \`${s.slice(0, 100)}\`: ${(err as Error).message}`);
  }
}

export function fromYaml(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  try {
    return parseYaml(asString(v, 'yaml')) ?? null;
  } catch (err) {
    throw new ExpressionError(`Invalid YAML: ${(err as Error).message}`);
  }
}

function jq(v: unknown, a: Parameters<FilterFn>[1], env: Parameters<FilterFn>[2]): unknown[] {
  const filter = toStr(requiredArg(a, 0, 'expression', 'jq'));
  let input = v;
  if (typeof v === 'string') {
    try {
      input = JSON.parse(v);
    } catch {
      input = v;
    }
  }
  // The caller's service resolves jq without blocking (see Lookups); otherwise the blocking fallback.
  return env.services.jq ? env.services.jq(input, filter) : runJq(input, filter);
}

/** Parses a number like Kestra's `number` filter; `type` forces INT, LONG, FLOAT, DOUBLE. */
function number(v: unknown, a: Parameters<FilterFn>[1]): number {
  const type = toStr(arg(a, 0, 'type', '')).toUpperCase();
  const n = toNumber(typeof v === 'string' ? v.trim() : v, 'number');
  if (type === 'INT' || type === 'INTEGER' || type === 'LONG' || type === 'BIGINTEGER') return Math.trunc(n);
  if (type === '' || type === 'FLOAT' || type === 'DOUBLE' || type === 'BIGDECIMAL') return n;
  throw new ExpressionError(`number: unknown type \`${type}\` (use INT, LONG, FLOAT, DOUBLE)`);
}

/** A subset of Java's DecimalFormat: `#,##0.00`-style patterns, optional prefix/suffix text. */
function numberFormat(v: unknown, a: Parameters<FilterFn>[1]): string {
  const n = toNumber(v, 'numberFormat');
  const pattern = toStr(requiredArg(a, 0, 'format', 'numberFormat'));
  const m = /^([^#0,.]*)([#0,]*)(?:\.([#0]*))?(.*)$/.exec(pattern);
  if (!m) throw new ExpressionError(`numberFormat: unsupported pattern \`${pattern}\``);
  const [, prefix = '', int = '', frac = '', suffix = ''] = m;
  const minFrac = (frac.match(/0/g) ?? []).length;
  const maxFrac = frac.length;
  const minInt = (int.match(/0/g) ?? []).length;
  const grouping = int.includes(',') ? int.length - int.lastIndexOf(',') - 1 : 0;
  let s = Math.abs(n).toFixed(maxFrac);
  let [ip = '', fp = ''] = s.split('.');
  while (fp.length > minFrac && fp.endsWith('0')) fp = fp.slice(0, -1);
  if (ip === '0' && minInt === 0 && fp !== '') ip = '';
  ip = ip.padStart(minInt, '0');
  if (grouping > 0) ip = ip.replace(new RegExp(`\\B(?=(\\d{${grouping}})+(?!\\d))`, 'g'), ',');
  s = fp ? `${ip}.${fp}` : ip;
  return `${n < 0 && Number(s.replace(/,/g, '')) !== 0 ? '-' : ''}${prefix}${s}${suffix}`;
}

function className(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'java.lang.Double';
    return Math.abs(v) <= 2147483647 ? 'java.lang.Integer' : 'java.lang.Long';
  }
  if (Array.isArray(v)) return 'java.util.ArrayList';
  if (isMap(v)) return 'java.util.LinkedHashMap';
  return typeName(v);
}

export const DATA_FILTERS: Record<string, FilterFn> = {
  toJson: (v) => toJson(v),
  json: (v) => toJson(v),
  fromJson,
  jsonDecode: fromJson,
  // Kestra's `yaml` filter writes YAML; parsing is the `yaml()` function (and Baton's `fromYaml`).
  yaml: toYaml,
  toYaml,
  fromYaml,
  toIon,
  jq,
  number,
  numberFormat,
  abs: (v) => Math.abs(toNumber(v, 'abs')),
  className,
};
