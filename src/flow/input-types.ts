/**
 * Coercion and checks of one input value by input type, as Kestra does it: values arrive as strings (CLI,
 * HTTP forms) or typed (JSON bodies, subflow calls) and leave typed. Pure.
 */
import { parse as parseYamlText } from 'yaml';
import { ISO_DURATION_PATTERN } from '../tasks/schema.ts';
import type { Input, InputType } from './types.ts';

/** A value that cannot be accepted; the message completes "Invalid input for `id`, ...". */
export class InputValueError extends Error {}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const fail = (what: string, v: unknown): never => {
  throw new InputValueError(`${what}, but received \`${show(v)}\``);
};

const INT = /^[-+]?\d+$/;
/** Kestra's INT input is a Java Integer: 32 bits. Beyond, Number() would also round past 2^53 silently. */
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;
const DURATION = new RegExp(ISO_DURATION_PATTERN);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Total seconds of an ISO-8601 duration (Java `Duration` syntax: days and time only). */
export const durationSeconds = (iso: string): number => {
  const m =
    /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+(?:[.,]\d+)?)S)?)?$/i.exec(iso);
  if (!m) return Number.NaN;
  const [, sign, d, h, min, s] = m;
  const total =
    Number(d ?? 0) * 86400 +
    Number(h ?? 0) * 3600 +
    Number(min ?? 0) * 60 +
    Number((s ?? '0').replace(',', '.'));
  return sign === '-' ? -total : total;
};

/** Java `Duration.toString()`: `PT24H` for `P1D`, `PT1M30S`, `PT0S`. */
export const formatDuration = (seconds: number): string => {
  if (seconds === 0) return 'PT0S';
  const neg = seconds < 0;
  let rest = Math.abs(seconds);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest = Math.round((rest - m * 60) * 1e9) / 1e9;
  const sgn = neg ? '-' : '';
  return `PT${h ? `${sgn}${h}H` : ''}${m ? `${sgn}${m}M` : ''}${rest ? `${sgn}${rest}S` : ''}`;
};

/** An ISO instant the way Java's `Instant.toString()` prints it: UTC, `Z`, no `.000`. */
export const toInstant = (v: string): string => {
  const date = new Date(v);
  if (!DATETIME.test(v) || Number.isNaN(date.getTime())) {
    fail('it must be a date-time with a zone, e.g. `2013-08-09T14:19:00Z`', v);
  }
  return date.toISOString().replace('.000Z', 'Z');
};

const validDate = (v: string): boolean => {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

const parseJson = (v: unknown, what: string): unknown => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return fail(`it must be a valid JSON ${what}`, v);
  }
};

const checkRange = (input: Input, v: number, asText: (n: number | string) => string = String): void => {
  const num = (x: unknown) =>
    typeof x === 'string' && input.type === 'DURATION' ? durationSeconds(x) : Number(x);
  if (input.min !== undefined && v < num(input.min))
    fail(`it must be more than \`${asText(input.min)}\``, asText(v));
  if (input.max !== undefined && v > num(input.max))
    fail(`it must be less than \`${asText(input.max)}\``, asText(v));
};

const checkBounds = (input: Input, v: string, compare: (a: string, b: string) => number): void => {
  if (typeof input.after === 'string' && compare(v, input.after) <= 0)
    fail(`it must be after \`${input.after}\``, v);
  if (typeof input.before === 'string' && compare(v, input.before) >= 0) {
    fail(`it must be before \`${input.before}\``, v);
  }
};

const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);

const checkMembership = (input: Input, v: string): void => {
  const values = input.values ?? input.options;
  // No list (an `expression` input not rendered, see select-values.ts): nothing to check against.
  if (!Array.isArray(values) || input.allowCustomValue) return;
  if (!values.includes(v)) fail(`it must match the values \`[${values.join(', ')}]\``, v);
};

/** Coerces and checks one value (never null/undefined) for an input of `type`. */
export const coerceInput = (input: Input, type: InputType, v: unknown): unknown => {
  switch (type) {
    case 'STRING':
    case 'SECRET': {
      const s = text(v);
      if (input.validator && !new RegExp(`^(?:${input.validator})$`).test(s)) {
        fail(`it must match the pattern \`${input.validator}\``, type === 'SECRET' ? '******' : s);
      }
      if (input.minLength !== undefined && s.length < input.minLength) {
        fail(`it must have at least ${input.minLength} characters`, s);
      }
      if (input.maxLength !== undefined && s.length > input.maxLength) {
        fail(`it must have at most ${input.maxLength} characters`, s);
      }
      return s;
    }
    case 'INT': {
      const n =
        typeof v === 'number'
          ? v
          : typeof v === 'string' && INT.test(v.trim())
            ? Number(v.trim())
            : Number.NaN;
      if (!Number.isInteger(n)) fail('it must be an integer', v);
      if (n < INT_MIN || n > INT_MAX)
        fail(
          `it must be an integer between ${INT_MIN} and ${INT_MAX} (INT is 32-bit, as in Kestra): ` +
            'declare a STRING input for larger whole numbers (LONG-like values, e.g. ids), or FLOAT for approximate ones',
          v,
        );
      checkRange(input, n);
      return n;
    }
    case 'FLOAT': {
      const n =
        typeof v === 'number'
          ? v
          : typeof v === 'string' && FLOAT.test(v.trim())
            ? Number(v.trim())
            : Number.NaN;
      if (Number.isNaN(n)) fail('it must be a number', v);
      checkRange(input, n);
      return n;
    }
    case 'BOOLEAN':
    case 'BOOL': {
      if (typeof v === 'boolean') return v;
      const s = text(v).trim().toLowerCase();
      if (s === 'true' || s === 'false') return s === 'true';
      return fail('it must be `true` or `false`', v);
    }
    case 'DATETIME': {
      const instant = toInstant(text(v));
      const bound = (b: string) => toInstant(b);
      checkBounds(input, instant, (a, b) => Date.parse(a) - Date.parse(bound(b)));
      return instant;
    }
    case 'DATE': {
      const s = text(v);
      if (!validDate(s)) fail('it must be a date, e.g. `2024-01-31`', v);
      checkBounds(input, s, (a, b) => a.localeCompare(b));
      return s;
    }
    case 'TIME': {
      const s = text(v);
      if (!TIME.test(s)) fail('it must be a time, e.g. `14:30:00`', v);
      const norm = (t: string) => (t.length === 5 ? `${t}:00` : t);
      checkBounds(input, s, (a, b) => norm(a).localeCompare(norm(b)));
      return s;
    }
    case 'DURATION': {
      const s = text(v);
      if (!DURATION.test(s)) fail('it must be an ISO-8601 duration, e.g. `PT30S`', v);
      const seconds = durationSeconds(s);
      checkRange(input, seconds, (n) => (typeof n === 'string' ? n : formatDuration(n)));
      return formatDuration(seconds);
    }
    case 'JSON':
      return parseJson(v, 'value');
    case 'YAML': {
      if (typeof v !== 'string') return v;
      try {
        return parseYamlText(v);
      } catch {
        return fail('it must be a valid YAML', v);
      }
    }
    case 'URI': {
      const s = text(v);
      if (!URL.canParse(s)) fail('it must be a valid URI, e.g. `https://example.com/path`', v);
      return s;
    }
    case 'EMAIL': {
      const s = text(v);
      if (!EMAIL.test(s)) fail('it must be a valid email address', v);
      return s;
    }
    case 'ENUM':
    case 'SELECT': {
      const s = text(v);
      checkMembership(input, s);
      return s;
    }
    case 'MULTISELECT': {
      const list = parseJson(v, 'list');
      if (!Array.isArray(list)) return fail('it must be a list of values', v);
      const items = list.map(text);
      for (const item of items) checkMembership(input, item);
      return items;
    }
    case 'ARRAY': {
      const list = parseJson(v, 'array');
      if (!Array.isArray(list)) return fail('it must be an array', v);
      const itemType = input.itemType ?? 'STRING';
      const itemInput = { id: input.id, type: itemType } as Input;
      return list.map((item) => (item === null ? null : coerceInput(itemInput, itemType, item)));
    }
    case 'FILE':
      // Handled by the caller (needs storage).
      return v;
  }
};
